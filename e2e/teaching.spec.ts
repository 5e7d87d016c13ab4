import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realModelFiles, REALMODELS_DIR } from './realModels';

const golden = JSON.parse(readFileSync(new URL('../golden/tinyvgg.json', import.meta.url), 'utf8'));
const files = realModelFiles('cnn-explainer-tinyvgg', 'model.json', 'group1-shard1of1.bin', 'img/');
if (!files) console.warn(`SKIPPED teaching view e2e: ${REALMODELS_DIR}/cnn-explainer-tinyvgg not found (set LINDEPS_REALMODELS).`);

/** Folder for one screenshot per step, when set; the test itself checks the DOM only. */
const screenshotDir = process.env.LINDEPS_TEACHING_SCREENSHOTS;

/** Loads the model, images and class names and runs the analysis. This is the only place that names the model the walk uses. */
async function loadAndAnalyzeModel(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files!);
  await expect(page.getByTestId('model-name')).toHaveText('sequential');
  await expect(page.getByTestId('image-count')).toContainText('20 images');
  await page.getByTestId('class-names').fill(golden.classNames.join('\n'));
  await page.getByTestId('analyze-button').click();
  await expect(page.getByTestId('analysis-done')).toBeVisible();
}

async function capture(step: Locator, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await step.page().getByTestId('teaching-view').screenshot({ path: join(screenshotDir, `${name}.png`) });
}

test.describe('teaching view', () => {
  test.skip(!files, 'real models folder missing');

  test('walks the five steps by keyboard', async ({ page }) => {
    await loadAndAnalyzeModel(page);
    await page.getByTestId('tolerance-input').fill('1e-2');
    await expect(page.getByTestId('dependency-summary')).toContainText('1 of 40 filters are dependent');

    // Step 1: the default layer is the first with a dependent filter, conv_1_2, whose filter 6 goes.
    const view = page.getByTestId('teaching-view');
    await expect(view.getByTestId('teaching-layer')).toHaveValue('conv_1_2');
    const step1 = view.getByTestId('teaching-step-1');
    await expect(step1.locator('canvas')).toHaveCount(10);
    await expect(step1.getByTestId('teaching-map-6')).toHaveAttribute('data-role', 'dependent');
    await expect(step1.locator('[data-role="kept"]')).toHaveCount(9);
    await capture(step1, 'step-1');

    // Arrow keys on the tab list move between steps.
    await view.getByTestId('teaching-tab-1').focus();
    await page.keyboard.press('ArrowRight');
    const step2 = view.getByTestId('teaching-step-2');
    await expect(step2).toBeVisible();
    await expect(view.getByTestId('teaching-tab-2')).toBeFocused();
    await expect(step2.getByTestId('teaching-pivot-dot')).toHaveCount(10);
    await expect(step2.locator('.recharts-reference-line')).toHaveCount(1);
    await expect(step2.locator('[data-testid="teaching-pivot-dot"][data-kept="false"]')).toHaveCount(1);
    await expect(step2.getByTestId('teaching-split-summary')).toContainText('keeps 9 of 10 filters and removes 1 (#6)');
    await expect(step2.getByTestId('teaching-cut')).toHaveCount(1);
    await capture(step2, 'step-2');

    // Moving the tolerance updates the kept and dependent sets at once, in this step and in the main table.
    await step2.getByRole('button', { name: '1e-5' }).click();
    await expect(step2.getByTestId('teaching-split-summary')).toContainText('keeps 10 of 10 filters and removes 0');
    await expect(step2.locator('[data-testid="teaching-pivot-dot"][data-kept="false"]')).toHaveCount(0);
    await expect(page.getByTestId('dependency-summary')).toContainText('No dependent filters');
    await step2.getByRole('button', { name: '1e-2' }).click();
    await expect(step2.getByTestId('teaching-split-summary')).toContainText('removes 1 (#6)');

    await view.getByTestId('teaching-tab-2').focus();
    await page.keyboard.press('ArrowRight');
    const step3 = view.getByTestId('teaching-step-3');
    await expect(step3).toBeVisible();
    await expect(step3.getByTestId('teaching-dependent')).toHaveValue('6');
    for (const map of ['teaching-dependent-map', 'teaching-reconstruction-map', 'teaching-difference-map']) {
      await expect(step3.getByTestId(map).locator('canvas')).toHaveCount(1);
    }
    await expect(step3.getByTestId('teaching-relative-error')).toContainText('Over all sample images: 0.91');
    await expect(step3.getByTestId('teaching-verdict')).toContainText('poorly');
    await expect(step3.getByTestId('teaching-coefficients').locator('canvas')).toHaveCount(4);
    await capture(step3, 'step-3');

    // Tab leaves the tab list for Previous, then Next; Enter presses it.
    await page.keyboard.press('Tab');
    await expect(view.getByTestId('teaching-prev')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(view.getByTestId('teaching-next')).toBeFocused();
    await page.keyboard.press('Enter');
    const step4 = view.getByTestId('teaching-step-4');
    await expect(step4).toBeVisible();
    await expect(step4.getByTestId('teaching-removed-slice').locator('canvas')).toHaveAttribute('width', '3');
    const rows = step4.locator('[data-testid^="teaching-slice-row-"]');
    await expect(rows).toHaveCount(3);
    for (const row of await rows.all()) await expect(row.locator('canvas')).toHaveCount(3);
    await capture(step4, 'step-4');

    await expect(view.getByTestId('teaching-next')).toBeFocused();
    await page.keyboard.press('Enter');
    const step5 = view.getByTestId('teaching-step-5');
    await expect(step5).toBeVisible();
    await step5.getByTestId('teaching-run-proof').click();
    await expect(step5.getByTestId('teaching-proof-summary')).toContainText('Removed 1 filter in all layers');
    await expect(step5.getByTestId('teaching-proof-summary')).toContainText('the top class agrees on 20');
    const difference = Number(await step5.getByTestId('teaching-max-difference').textContent());
    expect(difference).toBeCloseTo(golden.pruned['1e-2'].maxAbsProbDiff, 4);
    const comparisons = step5.locator('[data-testid^="teaching-proof-image-"]');
    await expect(comparisons).toHaveCount(4);
    for (const comparison of await comparisons.all()) {
      await expect(comparison.locator('.recharts-bar-rectangle')).toHaveCount(6);
    }
    await capture(step5, 'step-5');

    // Home returns to step 1 from the focused tab.
    await view.getByTestId('teaching-tab-5').focus();
    await page.keyboard.press('Home');
    await expect(view.getByTestId('teaching-step-1')).toBeVisible();
  });

  test('explains a layer without dependent filters', async ({ page }) => {
    await loadAndAnalyzeModel(page);
    const view = page.getByTestId('teaching-view');
    await expect(view.getByTestId('teaching-layer')).toHaveValue('conv_1_1');
    await view.getByTestId('teaching-tab-3').click();
    await expect(view.getByTestId('teaching-step-3').getByTestId('teaching-no-dependent')).toContainText('Raise the tolerance');
    await view.getByTestId('teaching-next').click();
    await expect(view.getByTestId('teaching-step-4').getByTestId('teaching-no-dependent')).toBeVisible();
  });

  test('shows Flatten -> Dense weights as maps', async ({ page }) => {
    await loadAndAnalyzeModel(page);
    const view = page.getByTestId('teaching-view');
    await view.getByTestId('teaching-layer').selectOption('conv_2_2');
    await view.getByTestId('teaching-tab-2').click();
    await view.getByTestId('teaching-step-2').getByRole('button', { name: '1e-1' }).click();
    await expect(view.getByTestId('teaching-split-summary')).toContainText('keeps 9 of 10 filters and removes 1 (#2)');
    await expect(view.getByTestId('teaching-layer')).toHaveValue('conv_2_2');

    await view.getByTestId('teaching-tab-4').click();
    const step4 = view.getByTestId('teaching-step-4');
    await expect(step4).toContainText('dense layer after Flatten');
    // The tapped maps of conv_2_2 are 13 x 13, so each channel's Dense rows form a 13 x 13 picture.
    await expect(step4.getByTestId('teaching-removed-slice').locator('canvas')).toHaveAttribute('width', '13');
    await expect(step4.getByTestId('teaching-removed-slice').locator('canvas')).toHaveAttribute('height', '13');
    await expect(step4.locator('[data-testid^="teaching-slice-row-"]')).toHaveCount(3);
    await capture(step4, 'step-4-flatten-dense');
  });
});
