import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { PNG } from 'pngjs';
import { readMnistIdx, type MnistSample } from '../src/node/mnistIdx';
import { checkDownload, realModelFiles, REALMODELS_DIR, saveDownloads } from './realModels';

const SAMPLE_SIZE = 100;
const MNIST_MEAN = 0.1307;
const MNIST_STD = 0.3081;

const burnModel = realModelFiles('onnx-burn-mnist', 'mnist.onnx');
const mnistIdx = realModelFiles('mnist-idx', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
if (!burnModel || !mnistIdx) console.warn(`SKIPPED ONNX e2e: real models not found under ${REALMODELS_DIR} (set LINDEPS_REALMODELS).`);

const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Writes MNIST digits as PNGs named `<digit name>_<index>.png` plus a class list of the ten digit names; returns their paths. */
function writeMnistPngs(sample: MnistSample): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'lindeps-mnist-'));
  const paths = sample.images.map((image, index) => {
    const png = new PNG({ width: image.width, height: image.height });
    png.data.set(image.rgba);
    const path = join(folder, `${DIGIT_NAMES[sample.labels[index]]}_${index}.png`);
    writeFileSync(path, PNG.sync.write(png));
    return path;
  });
  const classes = join(folder, 'classes.txt');
  writeFileSync(classes, DIGIT_NAMES.join('\n'));
  return [...paths, classes];
}

/** Counts correct top-1 predictions of an ONNX model (batch 1, NCHW) in ONNX Runtime, with MNIST normalisation. */
async function onnxRuntimeCorrect(bytes: Uint8Array, sample: MnistSample): Promise<number> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  let correct = 0;
  for (const [index, image] of sample.images.entries()) {
    const input = Float32Array.from({ length: image.width * image.height }, (_, p) => (image.rgba[p * 4] / 255 - MNIST_MEAN) / MNIST_STD);
    const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 1, image.height, image.width]) });
    const scores = Array.from(results[session.outputNames[0]].data as Float32Array);
    if (scores.indexOf(Math.max(...scores)) === sample.labels[index]) correct++;
  }
  await session.release();
  return correct;
}

function correctCount(text: string | null): number {
  return Number(/^(\d+) \//.exec(text ?? '')![1]);
}

test.describe('ONNX model exported from PyTorch', () => {
  test.skip(!burnModel || !mnistIdx, 'real models folder missing');

  test('matches ONNX Runtime before and after pruning', async ({ page }) => {
    const sample = readMnistIdx(mnistIdx![0], mnistIdx![1], SAMPLE_SIZE);
    const originalCorrect = await onnxRuntimeCorrect(new Uint8Array(readFileSync(burnModel![0])), sample);

    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles([...burnModel!, ...writeMnistPngs(sample)]);
    await expect(page.getByTestId('model-card')).toContainText('ONNX (mnist.onnx)');
    await expect(page.getByTestId('image-count')).toContainText(`${SAMPLE_SIZE} labelled`);
    await page.getByTestId('scaling-select').selectOption('mnist');
    await expect(page.getByTestId('scaling-mean')).toHaveValue(String(MNIST_MEAN));

    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('analysis-done')).toBeVisible();
    await page.getByTestId('tolerance-input').fill('0.3');
    await page.getByTestId('prune-button').click();
    await expect(page.getByTestId('removed-summary')).toContainText('Removed');
    expect(correctCount(await page.getByTestId('accuracy-before').textContent())).toBe(originalCorrect);

    const [saved] = await saveDownloads(page, 1);
    expect(saved.endsWith('mnist.onnx')).toBe(true);
    const prunedCorrect = await onnxRuntimeCorrect(new Uint8Array(readFileSync(saved)), sample);
    expect(correctCount(await page.getByTestId('accuracy-after').textContent())).toBe(prunedCorrect);

    const check = await checkDownload(page, [saved]);
    expect(check.loader).toContain('ONNX Runtime Web');
    expect(check.maxDifference).toBeLessThan(1e-4);
  });
});

const kerasFixture = join(import.meta.dirname, '../golden/keras/residual_functional.keras');
const cifarImages = realModelFiles('cifar10-images', 'test/airplane/', 'test/cat/');

test.describe('Keras 3 .keras archive', () => {
  test.skip(!cifarImages, 'real models folder missing');

  test('prunes and exports .keras and TF.js', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles([kerasFixture, ...cifarImages!]);
    await expect(page.getByTestId('model-card')).toContainText('residual_functional.keras');
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('analysis-done')).toBeVisible();
    await page.getByTestId('prune-button').click();
    await expect(page.getByTestId('removed-summary')).toContainText('Removed');

    const [archive] = await saveDownloads(page, 1);
    expect(archive.endsWith('.keras')).toBe(true);
    const archiveCheck = await checkDownload(page, [archive]);
    expect(archiveCheck.loader).toContain('Keras 3');
    expect(archiveCheck.maxDifference).toBeLessThan(1e-4);

    await page.getByTestId('export-target-tfjs-layers').check();
    await expect(page.getByTestId('how-to-load')).toContainText('tf.loadLayersModel');
    const tfjsFiles = await saveDownloads(page, 2);
    const tfjsCheck = await checkDownload(page, tfjsFiles);
    expect(tfjsCheck.loader).toBe('tf.loadLayersModel');
    expect(tfjsCheck.maxDifference).toBeLessThan(1e-4);
  });
});
