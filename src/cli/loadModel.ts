import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeUtf8, type InputFile } from '../core/formats/inputFile';
import type { ImportedModel } from '../core/formats/modelFormat';
import { detectFormat } from '../core/formats/registry';
import { describeUnsupportedModelFile } from '../core/formats/unsupportedFormats';
import { findShard } from '../core/formats/tfjs/readWeights';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { UsageError } from './usageError';

export interface LoadedModel {
  model: ImportedModel;
  /** Absolute path of the model file that was read (model.json, .keras, .h5 or .onnx). */
  modelPath: string;
  weightPaths: string[];
}

function readFile(path: string): InputFile {
  return { name: basename(path), path: basename(path), bytes: new Uint8Array(readFileSync(path)) };
}

/** Returns the absolute path of the model file that --model names: the file itself or model.json in a folder. */
export function resolveModelPath(path: string): string {
  if (!existsSync(path)) {
    throw new UsageError(`Model file '${path}' does not exist. Pass a TF.js model.json, a Keras .keras or .h5 file, or an .onnx file with --model.`);
  }
  if (!statSync(path).isDirectory()) return resolve(path);
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

/** Reads a single-file model (Keras .keras or .h5, ONNX), whose format is judged by content. */
function loadSingleFileModel(modelPath: string): LoadedModel {
  const file = readFile(modelPath);
  const unsupported = describeUnsupportedModelFile(file);
  if (unsupported) throw new Error(unsupported);
  const format = detectFormat([file]);
  if (!format) {
    throw new Error(`'${modelPath}' is not a model file the workbench reads: pass a TF.js model.json, a Keras .keras or .h5 file, or an .onnx file.`);
  }
  return { model: format.import([file]), modelPath, weightPaths: [] };
}

/** Reads a model: a TF.js LayersModel from model.json and its weight shards, or a single Keras or ONNX file. */
export function loadModel(path: string, weightPaths: string[] | null): LoadedModel {
  const modelPath = resolveModelPath(path);
  if (!modelPath.toLowerCase().endsWith('.json')) {
    if (weightPaths) throw new UsageError(`--weights applies to TF.js shards only; '${path}' contains its own weights, so remove --weights.`);
    return loadSingleFileModel(modelPath);
  }
  const modelJsonPath = modelPath;
  const modelFile = { ...readFile(modelJsonPath), path: modelJsonPath };
  // Importing the lone model.json throws the format's own message: invalid JSON, or JSON that is not a LayersModel.
  if (!tfjsLayersFormat.recognize([modelFile])) tfjsLayersFormat.import([modelFile]);
  const shardPaths = weightPaths ? checkGivenShards(weightPaths, modelFile, modelJsonPath) : shardsNextTo(modelJsonPath, modelFile);
  const model = tfjsLayersFormat.import([modelFile, ...shardPaths.map(readFile)]);
  return { model, modelPath, weightPaths: shardPaths };
}
