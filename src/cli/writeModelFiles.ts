import { existsSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { countParameters } from '../core/graph/graphQueries';
import type { ModelGraph } from '../core/graph/types';
import type { ImportedModel } from '../core/formats/modelFormat';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { loadModel } from './loadModel';
import { UsageError } from './usageError';

function canonical(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path);
}

/** Rejects an --out that is a file or the input model's own folder, before any slow work starts. */
export function checkOutputFolder(outDir: string, modelJsonPath: string): void {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new UsageError(`--out '${outDir}' is a file; give a folder (it is created if missing).`);
  }
  if (canonical(outDir) === canonical(dirname(modelJsonPath))) {
    throw new UsageError(`--out '${outDir}' is the folder of the input model, whose files would be overwritten; choose another folder.`);
  }
}

/**
 * Exports the pruned graph as TF.js files into outDir, then imports them back
 * from disk and checks the parameter count, so a bad export fails here and not in the user's app.
 * Returns the written paths.
 */
export async function writeModelFiles(model: ImportedModel, graph: ModelGraph, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const paths = (await tfjsLayersFormat.export(model, graph)).map((file) => {
    const path = join(outDir, file.name);
    writeFileSync(path, file.bytes);
    return path;
  });
  const modelJsonPath = paths.find((path) => path.endsWith('.json'))!;
  const reloaded = loadModel(modelJsonPath, null).model.graph;
  const expected = countParameters(graph);
  if (countParameters(reloaded) !== expected) {
    throw new Error(`The files written to '${outDir}' import back with ${countParameters(reloaded)} parameters instead of ${expected}; do not use them.`);
  }
  return paths;
}
