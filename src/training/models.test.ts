import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPrunableLayers } from '../core/analysis/prunableLayers';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { DEMO_MODELS } from './demoModels';
import { buildResnet, buildVgg } from './models';
import { saveLayersModel, WEIGHTS_FILE } from './saveLayersModel';

const options = { seed: 7, weightDecay: 5e-4, scaleL1: 5e-4 };
const demo = (id: string) => DEMO_MODELS.find((spec) => spec.id === id)!;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('demo VGG', () => {
  it('has the expected named layers', () => {
    const model = demo('vgg').build();
    const names = model.layers.map((layer) => `${layer.getClassName()}:${layer.name}`);
    expect(names.slice(0, 5)).toEqual(['InputLayer:input', 'Conv2D:block1_conv1', 'BatchNormalization:block1_bn1', 'ReLU:block1_relu1', 'MaxPooling2D:block1_pool']);
    expect(names.slice(-2)).toEqual(['Flatten:flatten', 'Dense:predictions']);
    expect(model.layers.filter((layer) => layer.getClassName() === 'Conv2D').length).toBeGreaterThanOrEqual(4);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(model.name).toBe('fashion_vgg');
    expect(model.countParams() * 4).toBeLessThan(2 * 1024 * 1024);
  });

  it('imports with all convs prunable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-vgg-'));
    await saveLayersModel(demo('vgg').build(), dir);
    const files = ['model.json', WEIGHTS_FILE].map((name) => ({ name, path: name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
    const report = findPrunableLayers(tfjsLayersFormat.import(files).graph);
    expect(report.prunable.map((layer) => `${layer.producer}->${layer.consumer}`)).toEqual([
      'block1_conv1->block2_conv1',
      'block2_conv1->block3_conv1',
      'block3_conv1->block3_conv2',
      'block3_conv2->predictions',
    ]);
  });
});

describe('demo ResNet', () => {
  it('has residual blocks and projection', () => {
    const model = demo('resnet').build();
    const byName = new Map(model.layers.map((layer) => [layer.name, layer.getClassName()]));
    expect(byName.get('block1_add')).toBe('Add');
    expect(byName.get('block2_add')).toBe('Add');
    expect(byName.has('block1_shortcut_conv')).toBe(false);
    expect(byName.get('block2_shortcut_conv')).toBe('Conv2D');
    expect(byName.get('avg_pool')).toBe('GlobalAveragePooling2D');
    expect(model.name).toBe('fashion_resnet');
    expect(model.countParams() * 4).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('seeded initialization', () => {
  const weights = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

  it('repeats weights per seed', () => {
    const widths = { blocks: [[4], [4]] };
    expect(weights(buildVgg(widths, options))).toEqual(weights(buildVgg(widths, options)));
    expect(weights(buildVgg(widths, options))).not.toEqual(weights(buildVgg(widths, { ...options, seed: 8 })));
    const resnet = { stem: 4, stages: [4, 8], blocksPerStage: 1 };
    expect(weights(buildResnet(resnet, options))).toEqual(weights(buildResnet(resnet, options)));
  });
});
