import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { realModelFiles, REALMODELS_DIR, saveDownloads } from './realModels';

const golden = JSON.parse(readFileSync(new URL('../golden/tinyvgg.json', import.meta.url), 'utf8'));
const files = realModelFiles('cnn-explainer-tinyvgg', 'model.json', 'group1-shard1of1.bin', 'img/');
if (!files) console.warn(`SKIPPED Tiny VGG e2e: ${REALMODELS_DIR}/cnn-explainer-tinyvgg not found (set LINDEPS_REALMODELS).`);

async function loadTinyVgg(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files!);
  await expect(page.getByTestId('model-name')).toHaveText('sequential');
  await expect(page.getByTestId('image-count')).toContainText('20 images');
  await page.getByTestId('class-names').fill(golden.classNames.join('\n'));
  await expect(page.getByTestId('image-count')).toContainText('20 labelled');
}

test.describe('Tiny VGG end to end', () => {
  test.skip(!files, 'real models folder missing');

  test('analyze, prune at 1e-2, download and reload', async ({ page }) => {
    await loadTinyVgg(page);
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('analysis-done')).toBeVisible();
    await expect(page.getByTestId('backend-name')).not.toBeEmpty();

    // Default tolerance: no exact dependencies, and the page states it plainly.
    await expect(page.getByTestId('dependency-summary')).toContainText('No dependent filters');
    await page.getByTestId('prune-button').click();
    await expect(page.getByTestId('nothing-removed')).toContainText('No filters were removed');

    // 1e-2: exactly conv_1_2 filter 6 goes, weak but poorly reconstructed.
    await page.getByTestId('tolerance-input').fill('1e-2');
    await expect(page.getByTestId('dependency-summary')).toContainText('1 of 40 filters are dependent');
    const row = page.getByTestId('layer-row-conv_1_2');
    await expect(row.getByTestId('rank')).toHaveText('9');
    await expect(row.getByTestId('channels')).toHaveText('10');
    const removed = page.getByTestId('dependent-conv_1_2-6');
    await expect(removed.getByTestId('diag-ratio')).toHaveText('0.0086');
    await expect(removed.getByTestId('residual')).toContainText('0.91');

    await page.getByTestId('prune-button').click();
    await expect(page.getByTestId('params-before')).toHaveText('19,920');
    await expect(page.getByTestId('params-after')).toHaveText('19,739');
    await expect(page.getByTestId('accuracy-before')).toContainText('14 / 20');
    await expect(page.getByTestId('accuracy-after')).toContainText('14 / 20');
    await expect(page.getByTestId('agreement')).toHaveText('20 / 20');
    const shownDifference = Number(await page.getByTestId('max-difference').textContent());
    expect(shownDifference).toBeCloseTo(golden.pruned['1e-2'].maxAbsProbDiff, 4);

    // Download both files, then load them back with tf.loadLayersModel in the page.
    const saved = await saveDownloads(page, 2);
    expect(saved.map((path) => path.split('/').pop()).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const modelJson = JSON.parse(readFileSync(saved.find((path) => path.endsWith('.json'))!, 'utf8'));
    expect(modelJson.modelTopology.model_config.config.layers.map((layer: { config: { name: string } }) => layer.config.name)).toEqual(
      golden.layers.length > 0 ? ['conv_1_1', 'relu_1_1', 'conv_1_2', 'relu_1_2', 'max_pool_1', 'conv_2_1', 'relu_2_1', 'conv_2_2', 'relu_2_2', 'max_pool_2', 'flatten', 'output'] : [],
    );

    await page.getByTestId('verify-input').setInputFiles(saved);
    await expect(page.getByTestId('verify-model-name')).toHaveText('sequential');
    await expect(page.getByTestId('verify-params')).toHaveText('19,739');
    await expect(page.getByTestId('verify-vs-original')).toContainText('top-1 agrees on 20 / 20 images');
    const verifyText = await page.getByTestId('verify-vs-original').textContent();
    const reloadedDifference = Number(/max \|difference\| (\S+)/.exec(verifyText!)![1]);
    expect(reloadedDifference).toBeCloseTo(golden.pruned['1e-2'].maxAbsProbDiff, 4);
    const workbenchText = await page.getByTestId('verify-vs-workbench').textContent();
    expect(Number(/max \|difference\| (\S+)/.exec(workbenchText!)![1])).toBeLessThan(1e-5);
  });
});
