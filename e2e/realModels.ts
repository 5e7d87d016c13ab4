import { expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/** Folder of the real models; set LINDEPS_REALMODELS to move it. */
export const REALMODELS_DIR = process.env.LINDEPS_REALMODELS ?? resolve(import.meta.dirname, '../../shared/realmodels');

export function realModelFiles(model: string, ...relative: string[]): string[] | null {
  const dir = join(REALMODELS_DIR, model);
  if (!existsSync(dir)) return null;
  return relative.flatMap((entry) => {
    const path = join(dir, entry);
    return entry.endsWith('/') ? readdirSync(path).sort().map((name) => join(path, name)) : [path];
  });
}

/** Clicks each download link (data-testid download-0, download-1, ...) and saves the files into a new temporary folder. */
export async function saveDownloads(page: Page, count: number): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'lindeps-download-'));
  const saved: string[] = [];
  for (let index = 0; index < count; index++) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-${index}`).click()]);
    const path = join(folder, download.suggestedFilename());
    await download.saveAs(path);
    saved.push(path);
  }
  return saved;
}

/** Loads downloaded files in the page's "Check a download" card and returns the loader's name and its max difference from the workbench. */
export async function checkDownload(page: Page, files: string[]): Promise<{ loader: string; maxDifference: number }> {
  await page.getByTestId('verify-input').setInputFiles(files);
  // Right after the files are set the card may still show the previous check, so wait for these files' names.
  await expect(page.getByTestId('verification')).toContainText(basename(files[0]), { timeout: 120_000 });
  const text = await page.getByTestId('verify-vs-workbench').textContent();
  return {
    loader: (await page.getByTestId('verify-loader').textContent()) ?? '',
    maxDifference: Number(/max \|difference\| (\S+)/.exec(text ?? '')![1]),
  };
}
