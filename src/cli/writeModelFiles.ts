import { existsSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { countParameters } from '../core/graph/graphQueries';
import type { ModelGraph } from '../core/graph/types';
import type { ExportTarget, ImportedModel } from '../core/formats/modelFormat';
import { detectFormat, formatById } from '../core/formats/registry';
import { UsageError } from './usageError';

function canonical(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path);
}

/** Rejects an --out that is a file or the input model's own folder, before any slow work starts. */
export function checkOutputFolder(outDir: string, modelPath: string): void {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new UsageError(`--out '${outDir}' is a file; give a folder (it is created if missing).`);
  }
  if (canonical(outDir) === canonical(dirname(modelPath))) {
    throw new UsageError(`--out '${outDir}' is the folder of the input model, whose files would be overwritten; choose another folder.`);
  }
}

/** Returns the export target --export-as names, or the format's own one; an unknown name lists the choices. */
function exportTarget(model: ImportedModel, exportAs: string | null): ExportTarget {
  const targets = formatById(model.format).exportTargets;
  if (exportAs === null) return targets[0];
  const target = targets.find((candidate) => candidate.id === exportAs);
  const reason = target && model.unavailableExports?.[target.id];
  if (reason) throw new UsageError(`--export-as '${exportAs}': ${reason}`);
  if (!target) {
    throw new UsageError(`--export-as '${exportAs}' is not available for a ${model.format} model; choose one of: ${targets.map((candidate) => candidate.id).join(', ')}.`);
  }
  return target;
}

/**
 * Exports the pruned graph into outDir (in the input's format unless --export-as names another),
 * then imports the written files back and checks the parameter count, so a bad export fails here
 * and not in the user's app. Returns the written paths.
 */
export async function writeModelFiles(model: ImportedModel, graph: ModelGraph, outDir: string, exportAs: string | null): Promise<string[]> {
  const target = exportTarget(model, exportAs);
  mkdirSync(outDir, { recursive: true });
  const files = await formatById(model.format).export(model, graph, target.id);
  const paths = files.map((file) => {
    const path = join(outDir, file.name);
    writeFileSync(path, file.bytes);
    return path;
  });
  const written = files.map((file) => ({ name: file.name, path: file.name, bytes: file.bytes }));
  const format = detectFormat(written);
  if (!format) throw new Error(`The files written to '${outDir}' are not recognised as a model; do not use them.`);
  const reloaded = format.import(written).graph;
  const expected = countParameters(graph);
  if (countParameters(reloaded) !== expected) {
    throw new Error(`The files written to '${outDir}' import back with ${countParameters(reloaded)} parameters instead of ${expected}; do not use them.`);
  }
  return paths;
}
