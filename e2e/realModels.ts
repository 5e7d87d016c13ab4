import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
