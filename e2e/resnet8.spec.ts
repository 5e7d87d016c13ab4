import { expect, test } from '@playwright/test';
import { realModelFiles, REALMODELS_DIR, saveDownloads } from './realModels';

const model = realModelFiles('mlcommons-resnet8', 'pretrainedResnet.h5');
const images = realModelFiles('cifar10-images', 'test/airplane/', 'test/cat/', 'test/ship/');
if (!model || !images) console.warn(`SKIPPED ResNet-8 e2e: real models not found under ${REALMODELS_DIR} (set LINDEPS_REALMODELS).`);

test.describe('Keras ResNet-8 with residual streams', () => {
  test.skip(!model || !images, 'real models folder missing');

  test('prunes groups, exports .h5 and TF.js', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles([...model!, ...images!]);
    await expect(page.getByTestId('model-name')).toHaveText('model');
    await expect(page.getByTestId('model-card')).toContainText('Keras HDF5');
    await expect(page.getByTestId('model-card')).toContainText('conv2d + conv2d_2');
    await page.getByTestId('scaling-select').selectOption('raw');

    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('analysis-done')).toBeVisible();
    await expect(page.getByTestId('layer-row-conv2d')).toContainText('conv2d + conv2d_2');
    await expect(page.getByTestId('layer-row-conv2d')).toContainText('conv2d_1, conv2d_3, conv2d_5');

    await page.getByTestId('tolerance-input').fill('0.3');
    await page.getByTestId('prune-button').click();
    await expect(page.getByTestId('removed-summary')).toContainText('Removed');

    const [h5] = await saveDownloads(page, 1);
    expect(h5.endsWith('.h5')).toBe(true);
    await page.getByTestId('verify-input').setInputFiles([h5]);
    await expect(page.getByTestId('verify-loader')).toContainText('Keras HDF5 reader');
    const h5Text = await page.getByTestId('verify-vs-workbench').textContent();
    expect(Number(/max \|difference\| (\S+)/.exec(h5Text!)![1])).toBeLessThan(1e-4);

    await page.getByTestId('export-target-tfjs-layers').check();
    const tfjsFiles = await saveDownloads(page, 2);
    await page.getByTestId('verify-input').setInputFiles(tfjsFiles);
    await expect(page.getByTestId('verify-model-name')).toHaveText('model');
    await expect(page.getByTestId('verify-loader')).toHaveText('tf.loadLayersModel');
    const workbenchText = await page.getByTestId('verify-vs-workbench').textContent();
    expect(Number(/max \|difference\| (\S+)/.exec(workbenchText!)![1])).toBeLessThan(1e-4);
  });
});
