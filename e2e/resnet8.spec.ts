import { expect, test } from '@playwright/test';
import { checkDownload, realModelFiles, REALMODELS_DIR, saveDownloads } from './realModels';

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
    const h5Check = await checkDownload(page, [h5]);
    expect(h5Check.loader).toContain('Keras HDF5 reader');
    expect(h5Check.maxDifference).toBeLessThan(1e-4);

    await page.getByTestId('export-target-tfjs-layers').check();
    const tfjsFiles = await saveDownloads(page, 2);
    const tfjsCheck = await checkDownload(page, tfjsFiles);
    await expect(page.getByTestId('verify-model-name')).toHaveText('model');
    expect(tfjsCheck.loader).toBe('tf.loadLayersModel');
    expect(tfjsCheck.maxDifference).toBeLessThan(1e-4);
  });
});
