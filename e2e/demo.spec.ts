import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';

const manifestPath = new URL('../public/demo/demo.json', import.meta.url);
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;

test.describe('built-in demo', () => {
  test('opens offline, finds the reported dependencies and walks the teaching view', async ({ page, context }) => {
    expect(manifest, 'public/demo/demo.json is missing; run npm run train:demo').not.toBeNull();
    const demoModel = manifest.models[0];
    const external: string[] = [];
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['blob:', 'data:'].includes(url.protocol)) external.push(request.url());
    });

    // Fresh page, no drop: the demo model and its sample images are already there.
    await page.goto('/');
    await expect(page.getByTestId('demo-banner')).toContainText(`Built-in demo: ${demoModel.name}`);
    await expect(page.getByTestId('image-count')).toContainText('500 images · 500 labelled');
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('analysis-done')).toBeVisible();

    const expected = demoModel.dependentFiltersAtDefaultTolerance as number;
    expect(expected).toBeGreaterThan(0);
    await expect(page.getByTestId('dependency-summary')).toContainText(`${expected} of `);
    await expect(page.getByTestId('original-accuracy')).toContainText('/ 500 labelled images');

    // The teaching view, by keyboard, on the first layer with a dependent filter.
    const view = page.getByTestId('teaching-view');
    const layer = await view.getByTestId('teaching-layer').inputValue();
    const channels = Number(await page.getByTestId(`layer-row-${layer}`).getByTestId('channels').textContent());
    await expect(view.getByTestId('teaching-step-1').locator('canvas')).toHaveCount(channels);
    await view.getByTestId('teaching-tab-1').focus();
    await page.keyboard.press('ArrowRight');
    await expect(view.getByTestId('teaching-step-2').getByTestId('teaching-pivot-dot')).toHaveCount(channels);
    await expect(view.getByTestId('teaching-step-2').locator('.recharts-reference-line')).toHaveCount(1);
    await page.keyboard.press('ArrowRight');
    const step3 = view.getByTestId('teaching-step-3');
    for (const map of ['teaching-dependent-map', 'teaching-reconstruction-map', 'teaching-difference-map']) {
      await expect(step3.getByTestId(map).locator('canvas')).toHaveCount(1);
    }
    await page.keyboard.press('ArrowRight');
    await expect(view.getByTestId('teaching-step-4').getByTestId('teaching-removed-slice').locator('canvas')).toHaveCount(1);
    await page.keyboard.press('ArrowRight');
    const step5 = view.getByTestId('teaching-step-5');
    await expect(step5).toBeVisible();
    await step5.getByTestId('teaching-run-proof').click();
    await expect(step5.getByTestId('teaching-proof-summary')).toContainText(`Removed ${expected} filters in all layers`);
    expect(Number(await step5.getByTestId('teaching-max-difference').textContent())).toBeLessThan(1e-4);

    expect(external).toEqual([]);
  });

  test('switches to the residual demo and prunes its channel groups', async ({ page }) => {
    const resnet = manifest.models.find((model: { id: string }) => model.id === 'resnet');
    await page.goto('/');
    await page.getByTestId('demo-switch-resnet').click();
    await expect(page.getByTestId('demo-banner')).toContainText(`Built-in demo: ${resnet.name}`);
    await page.getByTestId('analyze-button').click();
    await expect(page.getByTestId('analysis-done')).toBeVisible();
    await expect(page.getByTestId('dependency-summary')).toContainText(`${resnet.dependentFiltersAtDefaultTolerance} of `);
    await page.getByTestId('prune-button').click();
    await expect(page.getByTestId('removed-summary')).toContainText(`Removed ${resnet.dependentFiltersAtDefaultTolerance} filters`);
    expect(Number(await page.getByTestId('max-difference').textContent())).toBeLessThan(1e-4);
  });
});
