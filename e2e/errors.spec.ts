import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realModelFiles, REALMODELS_DIR } from './realModels';

const tinyVgg = realModelFiles('cnn-explainer-tinyvgg', 'model.json', 'group1-shard1of1.bin', 'img/');
const onnx = realModelFiles('onnx-wonnx-mnist', 'opt-mnist.onnx');
if (!tinyVgg || !onnx) console.warn(`SKIPPED error-path e2e: real models not found under ${REALMODELS_DIR} (set LINDEPS_REALMODELS).`);

test.describe('errors a user can meet', () => {
  test.skip(!tinyVgg || !onnx, 'real models folder missing');

  test('a truncated ONNX file and a PyTorch checkpoint are named', async ({ page }) => {
    const folder = mkdtempSync(join(tmpdir(), 'lindeps-bad-'));
    const truncated = join(folder, 'opt-mnist.onnx');
    writeFileSync(truncated, readFileSync(onnx![0]).subarray(0, 20000));
    const checkpoint = join(folder, 'net.pth');
    writeFileSync(checkpoint, 'PK');
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles([checkpoint]);
    await expect(page.getByTestId('drop-notice')).toContainText("'net.pth' is a PyTorch checkpoint");
    await page.getByTestId('file-input').setInputFiles([truncated]);
    await expect(page.getByRole('alert')).toContainText("'opt-mnist.onnx' is not a complete ONNX model");
  });

  test('a damaged .keras file and a second model in one drop are named', async ({ page }) => {
    const folder = mkdtempSync(join(tmpdir(), 'lindeps-bad-'));
    const damaged = join(folder, 'random.keras');
    writeFileSync(damaged, 'not a zip archive');
    await page.goto('/');
    const gif = join(folder, 'cat_1.gif');
    writeFileSync(gif, 'GIF89a');
    await page.getByTestId('file-input').setInputFiles([damaged, gif]);
    await expect(page.getByTestId('drop-notice').first()).toContainText("Ignored 'cat_1.gif'");
    await expect(page.getByTestId('drop-notice').nth(1)).toContainText("'random.keras' is named like a model file");
    await page.getByTestId('file-input').setInputFiles([...onnx!, tinyVgg![0], tinyVgg![1]]);
    await expect(page.getByTestId('model-name')).toHaveText('sequential');
    await expect(page.getByTestId('drop-notice').first()).toContainText("'opt-mnist.onnx' ignored");
  });

  test('a truncated model.json is reported', async ({ page }) => {
    const folder = mkdtempSync(join(tmpdir(), 'lindeps-bad-'));
    const broken = join(folder, 'model.json');
    writeFileSync(broken, readFileSync(tinyVgg![0], 'utf8').slice(0, 100));
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles([broken, tinyVgg![1]]);
    await expect(page.getByRole('alert')).toContainText("'model.json' is not valid JSON");
  });

  test('invalid tolerance blocks pruning; a download check needs the shard', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(tinyVgg!);
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('analysis-done')).toBeVisible();

    await page.getByTestId('tolerance-input').fill('1e-2x');
    await expect(page.getByTestId('tolerance-error')).toContainText("'1e-2x' is not a tolerance");
    await expect(page.getByTestId('prune-button')).toBeDisabled();

    await page.getByTestId('tolerance-input').fill('1e-2');
    await expect(page.getByTestId('prune-button')).toBeEnabled();
    await page.getByTestId('prune-button').click();
    await expect(page.getByTestId('removed-summary')).toContainText('Removed 1 filter');
    // Without labels the page reports agreement with the original model instead of accuracy.
    await expect(page.getByTestId('accuracy-after')).toHaveText('no labels');
    await expect(page.getByTestId('agreement')).toHaveText('20 / 20');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-0').click()]);
    const jsonPath = join(mkdtempSync(join(tmpdir(), 'lindeps-json-only-')), 'model.json');
    await download.saveAs(jsonPath);
    await page.getByTestId('verify-input').setInputFiles([jsonPath]);
    await expect(page.getByRole('alert')).toContainText("Weight file 'group1-shard1of1.bin'");
    await expect(page.getByTestId('verification')).toHaveCount(0);
  });
});
