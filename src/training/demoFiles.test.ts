import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_JSON } from './demoManifest';
import { DEMO_MODELS } from './demoModels';
import { FASHION_MNIST_CLASSES } from './fashionMnist';
import { SAMPLE_JSON, SAMPLE_PIXELS } from './sampleSetFile';
import { WEIGHTS_FILE } from './saveLayersModel';

const demoDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../public/demo');
const available = existsSync(join(demoDir, DEMO_JSON));
if (!available) console.warn(`SKIPPED demo file tests: ${join(demoDir, DEMO_JSON)} not found (run npm run train:demo).`);

interface SampleDescription {
  count: number;
  labels: number[];
  classNames: string[];
  pixels: string;
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(demoDir, name), 'utf8')) as T;
}

/** Loads a demo model with TF.js itself, from the files in public/demo. */
async function loadDemoModel(path: string): Promise<tf.LayersModel> {
  const dir = join(demoDir, path, '..');
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(join(dir, modelJson.weightsManifest[0].paths[0]));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData }));
}

describe.skipIf(!available)('files in public/demo', () => {
  const manifest = () => readJson<{ models: Record<string, unknown>[]; samples: string }>(DEMO_JSON);
  const sample = () => readJson<SampleDescription>(SAMPLE_JSON);

  beforeAll(async () => {
    // wasm predicts the 500 images more than ten times faster than the CPU backend.
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  it('lists both models in demo.json', () => {
    const { models, samples } = manifest();
    expect(samples).toBe(SAMPLE_JSON);
    expect(models.map((model) => model.id)).toEqual(['vgg', 'resnet']);
    for (const spec of DEMO_MODELS) {
      const entry = models.find((model) => model.id === spec.id)!;
      expect(entry).toMatchObject({ name: spec.name, path: `${spec.id}/model.json`, scaling: 'unit', trainedBy: 'npm run train:demo', supported: spec.supported });
      expect(entry.note).toBe(spec.note);
      expect(entry.testAccuracy).toBeGreaterThanOrEqual(spec.minimumAccuracy);
    }
  });

  it('has 50 sample images per class', () => {
    const description = sample();
    expect(description.count).toBe(500);
    expect(description.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(description.pixels).toBe(SAMPLE_PIXELS);
    expect(statSync(join(demoDir, SAMPLE_PIXELS)).size).toBe(500 * 28 * 28);
    FASHION_MNIST_CLASSES.forEach((_, label) => expect(description.labels.filter((value) => value === label).length, `class ${label}`).toBe(50));
  });

  it.each(DEMO_MODELS.map((spec) => [spec.id, spec] as const))('%s loads in TF.js and classifies the sample', async (id, spec) => {
    const bytes = ['model.json', WEIGHTS_FILE].reduce((sum, name) => sum + statSync(join(demoDir, id, name)).size, 0);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);

    const model = await loadDemoModel(`${id}/model.json`);
    const description = sample();
    const pixels = new Uint8Array(readFileSync(join(demoDir, SAMPLE_PIXELS)));
    const predicted = tf.tidy(() => {
      const images = tf.div(tf.tensor4d(Float32Array.from(pixels), [description.count, 28, 28, 1]), 255);
      return tf.argMax(model.predict(images) as tf.Tensor, 1);
    });
    const classes = await predicted.data();
    const correct = description.labels.filter((label, i) => classes[i] === label).length;
    // 500 images estimate the test accuracy to within a few points.
    expect(correct / description.count).toBeGreaterThan(spec.minimumAccuracy - 0.03);
    predicted.dispose();
    model.dispose();
  });
});
