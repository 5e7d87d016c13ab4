import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeUtf8, type InputFile } from '../core/formats/inputFile';
import type { ImportedModel } from '../core/formats/modelFormat';
import { findShard } from '../core/formats/tfjs/readWeights';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { UsageError } from './usageError';

export interface LoadedModel {
  model: ImportedModel;
  /** Absolute path of the model.json that was read. */
  modelJsonPath: string;
  weightPaths: string[];
}

function readFile(path: string): InputFile {
  return { name: basename(path), path: basename(path), bytes: new Uint8Array(readFileSync(path)) };
}

/** Returns the absolute path of the model.json that --model names: the file itself or model.json in a folder. */
export function resolveModelJson(path: string): string {
  if (!existsSync(path)) throw new UsageError(`Model file '${path}' does not exist. Pass the path of a TF.js model.json with --model.`);
  if (!statSync(path).isDirectory()) {
    if (!path.toLowerCase().endsWith('.json')) throw new UsageError(`--model '${path}' is not a .json file; pass the model.json of a TF.js LayersModel.`);
    return resolve(path);
  }
  const inFolder = join(path, 'model.json');
  if (!existsSync(inFolder)) throw new UsageError(`Folder '${path}' has no model.json. Pass the model.json file itself with --model.`);
  return resolve(inFolder);
}

function manifestPaths(modelFile: InputFile, modelJsonPath: string): string[] {
  const parsed = JSON.parse(decodeUtf8(modelFile.bytes)) as { weightsManifest: { paths?: unknown }[] };
  const paths = parsed.weightsManifest.flatMap((group) => (Array.isArray(group.paths) ? group.paths : []));
  if (paths.some((path) => typeof path !== 'string')) {
    throw new Error(`'${modelJsonPath}' has a weightsManifest path that is not a string; fix the file or pass the shards with --weights.`);
  }
  return paths as string[];
}

/** Finds each shard model.json names in its own folder, with the same matching rules as the import (a missing `.bin` is tolerated). */
function shardsNextTo(modelJsonPath: string, modelFile: InputFile): string[] {
  const folder = dirname(modelJsonPath);
  const neighbours: InputFile[] = readdirSync(folder)
    .filter((name) => statSync(join(folder, name)).isFile())
    .map((name) => ({ name, path: name, bytes: new Uint8Array(0) }));
  const found = manifestPaths(modelFile, modelJsonPath).map((path) => {
    const shard = findShard(path, neighbours);
    if (!shard) {
      throw new Error(
        `Weight file '${path}' listed in the weightsManifest of '${modelJsonPath}' is not in ${folder}. ` +
          'Put the shard next to model.json or pass the shard files with --weights.',
      );
    }
    return join(folder, shard.name);
  });
  return [...new Set(found)];
}

/** Checks the --weights files up front, so a missing one is named with the option that should list it. */
function checkGivenShards(paths: string[], modelFile: InputFile, modelJsonPath: string): string[] {
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`Weight file '${path}' given with --weights does not exist.`);
  }
  const shardFiles = paths.map((path) => ({ name: basename(path), path, bytes: new Uint8Array(0) }));
  for (const listed of manifestPaths(modelFile, modelJsonPath)) {
    if (!findShard(listed, shardFiles)) {
      throw new UsageError(`Weight file '${listed}' listed in '${modelJsonPath}' is not among the --weights files; add it.`);
    }
  }
  return paths.map((path) => resolve(path));
}

/** Reads a TF.js LayersModel from model.json and its weight shards. */
export function loadModel(modelPath: string, weightPaths: string[] | null): LoadedModel {
  const modelJsonPath = resolveModelJson(modelPath);
  const modelFile = { ...readFile(modelJsonPath), path: modelJsonPath };
  // Importing the lone model.json throws the format's own message: invalid JSON, or JSON that is not a LayersModel.
  if (!tfjsLayersFormat.recognize([modelFile])) tfjsLayersFormat.import([modelFile]);
  const shardPaths = weightPaths ? checkGivenShards(weightPaths, modelFile, modelJsonPath) : shardsNextTo(modelJsonPath, modelFile);
  const model = tfjsLayersFormat.import([modelFile, ...shardPaths.map(readFile)]);
  return { model, modelJsonPath, weightPaths: shardPaths };
}
