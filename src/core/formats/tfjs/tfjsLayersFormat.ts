import type { ModelGraph, WeightTensor } from '../../graph/types';
import { kerasTopologyToGraph } from '../keras/modelTopology';
import { weightLookup } from '../keras/weightLookup';
import { decodeUtf8, type InputFile, type OutputFile } from '../inputFile';
import type { ExportTarget, ImportedModel, ModelFormat } from '../modelFormat';
import { kerasModelConfig, type TfjsModelJson } from './modelJson';
import { isQuantized, readWeights, type DecodedWeight } from './readWeights';
import { writeLayersModel } from './writeLayersModel';

interface TfjsDocument {
  modelJson: TfjsModelJson;
  modelFileName: string;
}

function parseJson(file: InputFile): unknown {
  try {
    return JSON.parse(decodeUtf8(file.bytes));
  } catch (error) {
    throw new Error(`'${file.path}' is not valid JSON: ${(error as Error).message}`);
  }
}

function looksLikeLayersModel(value: unknown): value is TfjsModelJson {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return typeof record.modelTopology === 'object' && record.modelTopology !== null && Array.isArray(record.weightsManifest);
}

function isJsonFile(file: InputFile): boolean {
  return file.name.toLowerCase().endsWith('.json');
}

/** Finds the first JSON file that is a LayersModel; unparsable JSON counts as not one. */
function findModelJson(files: InputFile[]): { file: InputFile; modelJson: TfjsModelJson } | null {
  for (const file of files.filter(isJsonFile)) {
    let parsed: unknown;
    try {
      parsed = parseJson(file);
    } catch {
      continue;
    }
    if (looksLikeLayersModel(parsed)) return { file, modelJson: parsed };
  }
  return null;
}

/** Explains why none of the JSON files is a LayersModel, naming the first one. */
function missingModelJsonError(files: InputFile[]): Error {
  const json = files.find(isJsonFile);
  if (!json) return new Error('No TF.js model.json was found among the given files.');
  parseJson(json);
  return new Error(
    `'${json.path}' is JSON but not a TF.js LayersModel (it needs modelTopology and weightsManifest). ` +
      'A TF.js graph model (converted from a SavedModel) cannot be pruned; convert the Keras model instead.',
  );
}

/** Matches a layer's weight by role: `conv/kernel`, `model/conv/kernel:0` and similar names all resolve. */
function toWeightTensors(weights: Map<string, DecodedWeight>): Map<string, WeightTensor> {
  return new Map([...weights].map(([name, weight]) => [name, { shape: [...weight.entry.shape], values: weight.values, sourceName: name }]));
}

function importTfjs(files: InputFile[]): ImportedModel {
  const found = findModelJson(files);
  if (!found) throw missingModelJsonError(files);
  const { file, modelJson } = found;
  const weights = readWeights(modelJson.weightsManifest, files);
  const graph = kerasTopologyToGraph(kerasModelConfig(modelJson), weightLookup(toWeightTensors(weights)));
  const notes: string[] = [];
  if (isQuantized(modelJson.weightsManifest)) {
    notes.push('The weights were quantized; they were dequantized on import and are exported as float32.');
  }
  const document: TfjsDocument = { modelJson, modelFileName: file.name };
  return { format: 'tfjs-layers', sourceName: file.name, graph, document, notes };
}

async function exportTfjs(model: ImportedModel, graph: ModelGraph): Promise<OutputFile[]> {
  const { modelJson: original, modelFileName } = model.document as TfjsDocument;
  const entries = original.weightsManifest.flatMap((group) => group.weights);
  return writeLayersModel(structuredClone(original), entries, graph, modelFileName);
}

/** TF.js LayersModel files; the Keras formats offer it too, since tf.loadLayersModel reads it in the browser. */
export const TFJS_EXPORT_TARGET: ExportTarget = {
  id: 'tfjs-layers',
  label: 'TF.js LayersModel (model.json + weights)',
  howToLoad: 'Save both files in one folder and load them with tf.loadLayersModel. Layer and model names are unchanged.',
};

export const tfjsLayersFormat: ModelFormat = {
  id: 'tfjs-layers',
  label: 'TF.js LayersModel',
  recognize: (files) => findModelJson(files) !== null,
  import: importTfjs,
  exportTargets: [TFJS_EXPORT_TARGET],
  export: exportTfjs,
};
