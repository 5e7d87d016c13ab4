import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InputFile } from '../core/formats/inputFile';

const repositoryRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Folder of the real models used by tests; set LINDEPS_REALMODELS to move it. */
export const REALMODELS_DIR = process.env.LINDEPS_REALMODELS ?? resolve(repositoryRoot, '../shared/realmodels');

/** Reads files (or every file under folders) as InputFile, with paths relative to each given folder's parent. */
export function readInputFiles(paths: string[]): InputFile[] {
  const files: InputFile[] = [];
  const visit = (path: string, root: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry), root);
      return;
    }
    files.push({ name: basename(path), path: relative(root, path), bytes: new Uint8Array(readFileSync(path)) });
  };
  for (const path of paths) visit(resolve(path), resolve(path, '..'));
  return files;
}
