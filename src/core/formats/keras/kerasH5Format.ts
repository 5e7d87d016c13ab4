import * as hdf5 from 'jsfive';
import type { ModelGraph, WeightTensor } from '../../graph/types';
import type { InputFile, OutputFile } from '../inputFile';
import type { ImportedModel, ModelFormat } from '../modelFormat';
import type { KerasModelConfig, TfjsModelJson, WeightsManifestEntry } from '../tfjs/modelJson';
import { TFJS_EXPORT_TARGET } from '../tfjs/tfjsLayersFormat';
import { writeLayersModel } from '../tfjs/writeLayersModel';
import { kerasTopologyToGraph } from './modelTopology';
import { weightLookup } from './weightLookup';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

interface KerasH5Document {
  modelConfig: KerasModelConfig;
  kerasVersion: string;
  backend: string;
  /** Weight names in file order, as `layer/role:0`. */
  weightNames: string[];
  fileName: string;
}

function isHdf5(file: InputFile): boolean {
  return HDF5_SIGNATURE.every((byte, i) => file.bytes[i] === byte);
}

function stripNul(text: string): string {
  // Keras 2 stores weight names as fixed-length strings padded with NUL bytes.
  return text.replace(/\0+$/, '');
}

function openFile(file: InputFile): hdf5.File {
  const buffer = file.bytes.buffer.slice(file.bytes.byteOffset, file.bytes.byteOffset + file.bytes.byteLength) as ArrayBuffer;
  try {
    return new hdf5.File(buffer, file.name);
  } catch (error) {
    throw new Error(`'${file.name}' could not be read as HDF5 (${(error as Error).message}); the file may be truncated.`);
  }
}

function attributeText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

function parseModelConfig(file: hdf5.File, name: string): KerasModelConfig {
  const text = attributeText(file.attrs.model_config);
  if (text === null) {
    throw new Error(
      `'${name}' has no model_config attribute: it is not a whole Keras model (a weights-only file from ` +
        'model.save_weights(), or another HDF5 file). Save the whole model with model.save("model.h5").',
    );
  }
  return JSON.parse(text) as KerasModelConfig;
}

/** Reads every weight under model_weights, keyed by its Keras name (`conv2d/kernel:0`), in file order. */
function readWeights(file: hdf5.File): Map<string, WeightTensor> {
  const root = (file.attrs.layer_names ? file : file.get('model_weights')) as hdf5.Group;
  const layerNames = (root.attrs.layer_names as string[] | undefined) ?? root.keys;
  const weights = new Map<string, WeightTensor>();
  for (const layerName of layerNames.map(stripNul)) {
    const group = root.get(layerName) as hdf5.Group;
    const names = ((group.attrs.weight_names as string[] | undefined) ?? []).map(stripNul);
    for (const name of names) {
      const dataset = group.get(name) as hdf5.Dataset;
      weights.set(name, { shape: [...dataset.shape], values: Float32Array.from(dataset.value), sourceName: name });
    }
  }
  return weights;
}

function importKerasH5(files: InputFile[]): ImportedModel {
  const source = files.find(isHdf5);
  if (!source) throw new Error('No Keras HDF5 (.h5) file was found among the given files.');
  const file = openFile(source);
  const modelConfig = parseModelConfig(file, source.name);
  let weights: Map<string, WeightTensor>;
  try {
    weights = readWeights(file);
  } catch (error) {
    throw new Error(`The weights in '${source.name}' could not be read (${(error as Error).message}); the file is probably truncated.`);
  }
  const graph = kerasTopologyToGraph(modelConfig, weightLookup(weights));
  const document: KerasH5Document = {
    modelConfig,
    kerasVersion: attributeText(file.attrs.keras_version) ?? 'unknown',
    backend: attributeText(file.attrs.backend) ?? 'tensorflow',
    weightNames: [...weights.keys()],
    fileName: source.name,
  };
  const notes = ['The pruned model is exported as TF.js LayersModel files (model.json and a weight shard); writing .h5 is not supported yet.'];
  return { format: 'keras-h5', sourceName: source.name, graph, document, notes };
}

/** Sets every regularizer and constraint to null: TensorFlow.js does not know all Keras classes (e.g. `L2`), and inference ignores them. */
function withoutTrainingOnlyObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTrainingOnlyObjects);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, /_(regularizer|constraint)$/.test(key) ? null : withoutTrainingOnlyObjects(entry)]),
  );
}

async function exportKerasH5(model: ImportedModel, graph: ModelGraph): Promise<OutputFile[]> {
  const document = model.document as KerasH5Document;
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: `keras v${document.kerasVersion}`,
    convertedBy: 'LinDeps Workbench',
    modelTopology: {
      keras_version: document.kerasVersion,
      backend: document.backend,
      model_config: withoutTrainingOnlyObjects(structuredClone(document.modelConfig)),
    },
    weightsManifest: [],
  };
  const entries: WeightsManifestEntry[] = document.weightNames.map((name) => ({ name, shape: [], dtype: 'float32' }));
  return writeLayersModel(modelJson, entries, graph, 'model.json');
}

export const kerasH5Format: ModelFormat = {
  id: 'keras-h5',
  label: 'Keras HDF5',
  recognize: (files) => files.some(isHdf5),
  import: importKerasH5,
  exportTargets: [TFJS_EXPORT_TARGET],
  export: exportKerasH5,
};
