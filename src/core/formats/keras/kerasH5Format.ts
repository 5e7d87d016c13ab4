import type * as hdf5 from 'jsfive';
import type { ModelGraph, WeightTensor } from '../../graph/types';
import type { InputFile, OutputFile } from '../inputFile';
import type { ExportTarget, ImportedModel, ModelFormat } from '../modelFormat';
import type { KerasLayerConfig, KerasModelConfig, TfjsModelJson, WeightsManifestEntry } from '../tfjs/modelJson';
import { TFJS_EXPORT_TARGET } from '../tfjs/tfjsLayersFormat';
import { checkTfjsLoadable } from '../tfjs/checkTfjsLoadable';
import { writeLayersModel } from '../tfjs/writeLayersModel';
import { graphTensorsBySourceName } from './graphTensors';
import { attributeText, childAt, hasHdf5Signature, isDataset, openHdf5, readFloatDataset } from './hdf5Reading';
import { asciiJson, ensureGroup, fixedTextAttribute, fixedTextListAttribute, writeFloat32Dataset, writeHdf5, type Hdf5Group } from './hdf5Writer';
import { keras2ModelConfig } from './keras2Config';
import { kerasTopologyToGraph } from './modelTopology';
import { applyGraphToKerasConfig } from './prunedLayerConfig';
import { exportFileName, extensionNote } from './exportFileName';
import { isNestedModel } from './layerVariables';
import { trainingOnlyObjectNotes } from './trainingOnlyObjects';
import { nestedKeras3TfjsError, tfjsVariableNames } from './tfjsWeightNames';
import { weightLookup } from './weightLookup';

/** A layer group under `model_weights`, with its weights' names in file order (`conv2d/kernel:0`). */
interface StoredLayer {
  name: string;
  weightNames: string[];
}

interface KerasH5Document {
  modelConfig: KerasModelConfig;
  kerasVersion: string;
  backend: string;
  /** The `training_config` attribute (compile settings), written back unchanged. */
  trainingConfig: string | null;
  layers: StoredLayer[];
  /** Keras 3's `top_level_model_weights` group (the model's own variables, usually none), written back as read. */
  topLevelWeights: StoredWeights | null;
  fileName: string;
}

interface StoredWeights {
  names: string[];
  tensors: WeightTensor[];
}

const TOP_LEVEL_GROUP = 'top_level_model_weights';
// Keras's HDF5 loader takes either; an export of a file named otherwise gets the first.
const H5_EXTENSIONS = ['.h5', '.hdf5'];

// HDF5 keeps small attributes in the object header, which has room for 64 KiB at most.
// Keras 2 splits longer name lists into `name0`, `name1`, ... below this size.
const ATTRIBUTE_CHUNK_BYTES = 64512;

export const KERAS_H5_EXPORT_TARGET: ExportTarget = {
  id: 'keras-h5',
  label: 'Keras HDF5 (.h5)',
  howToLoad: 'Load the downloaded .h5 file with keras.models.load_model(path) (Keras 2, or Keras 3 legacy HDF5 loading). Layer names are unchanged; the optimizer state is not included.',
};

function isHdf5(file: InputFile): boolean {
  return hasHdf5Signature(file.bytes);
}

function stripNul(text: string): string {
  // Keras 2 stores names as fixed-length strings padded with NUL bytes.
  return text.replace(/\0+$/, '');
}

function parseModelConfig(file: hdf5.File, name: string): KerasModelConfig {
  const text = attributeText(file.attrs.model_config);
  if (text === null) {
    throw new Error(
      `'${name}' has no model_config attribute: it is not a whole Keras model (a weights-only file from ` +
        'model.save_weights(), or another HDF5 file). Save the whole model with model.save("model.keras") (Keras 3) or model.save("model.h5").',
    );
  }
  return JSON.parse(text) as KerasModelConfig;
}

/** Reads a name list attribute, joining the chunks Keras 2 writes for long lists. */
function nameList(attrs: Record<string, unknown>, name: string): string[] | undefined {
  const whole = attrs[name];
  if (Array.isArray(whole)) return whole.map(String).map(stripNul);
  if (!(`${name}0` in attrs)) return undefined;
  const names: string[] = [];
  for (let chunk = 0; `${name}${chunk}` in attrs; chunk++) names.push(...(attrs[`${name}${chunk}`] as string[]).map(stripNul));
  return names;
}

function readGroupWeights(group: hdf5.Group, groupName: string): StoredWeights {
  const names = nameList(group.attrs, 'weight_names') ?? [];
  const tensors = names.map((name) => {
    const dataset = childAt(group, name);
    if (!isDataset(dataset)) throw new Error(`weight '${name}' of layer '${groupName}' is listed in weight_names but missing`);
    return { shape: [...dataset.shape], values: readFloatDataset(dataset, name), sourceName: name };
  });
  return { names, tensors };
}

/** Reads every weight under model_weights, keyed by its Keras name (`conv2d/kernel:0`), in file order. */
function readWeights(file: hdf5.File): { weights: Map<string, WeightTensor>; layers: StoredLayer[]; topLevel: StoredWeights | null } {
  const root = (file.attrs.layer_names || file.attrs.layer_names0 ? file : file.get('model_weights')) as hdf5.Group;
  const layerNames = nameList(root.attrs, 'layer_names') ?? root.keys.filter((key) => key !== TOP_LEVEL_GROUP);
  const weights = new Map<string, WeightTensor>();
  const layers: StoredLayer[] = [];
  for (const layerName of layerNames) {
    const { names, tensors } = readGroupWeights(root.get(layerName) as hdf5.Group, layerName);
    tensors.forEach((tensor, i) => weights.set(names[i], tensor));
    layers.push({ name: layerName, weightNames: names });
  }
  const topLevel = root.keys.includes(TOP_LEVEL_GROUP) ? readGroupWeights(root.get(TOP_LEVEL_GROUP) as hdf5.Group, TOP_LEVEL_GROUP) : null;
  return { weights, layers, topLevel };
}

function importKerasH5(files: InputFile[]): ImportedModel {
  const source = files.find(isHdf5);
  if (!source) throw new Error('No Keras HDF5 (.h5) file was found among the given files.');
  const file = openHdf5(source.bytes, source.name);
  const modelConfig = parseModelConfig(file, source.name);
  let stored: ReturnType<typeof readWeights>;
  try {
    stored = readWeights(file);
  } catch (error) {
    throw new Error(`The weights in '${source.name}' could not be read (${(error as Error).message}); the file is probably truncated.`);
  }
  const graph = kerasTopologyToGraph(modelConfig, weightLookup(stored.weights));
  const document: KerasH5Document = {
    modelConfig,
    kerasVersion: attributeText(file.attrs.keras_version) ?? 'unknown',
    backend: attributeText(file.attrs.backend) ?? 'tensorflow',
    trainingConfig: attributeText(file.attrs.training_config),
    layers: stored.layers,
    topLevelWeights: stored.topLevel,
    fileName: source.name,
  };
  const notes: string[] = [];
  const nameNote = extensionNote(source.name, 'a Keras HDF5 file', H5_EXTENSIONS);
  if (nameNote) notes.push(nameNote);
  notes.push(...trainingOnlyObjectNotes(modelConfig));
  if (isNestedKeras3(document)) notes.push('The model nests another model, so it can be exported as .h5 but not as TF.js files.');
  if (file.keys.includes('optimizer_weights')) {
    notes.push('The file contains optimizer state; the export leaves it out, since its shapes follow the unpruned weights. Training restarts it.');
  }
  const unavailableExports = isNestedKeras3(document) ? { [TFJS_EXPORT_TARGET.id]: nestedKeras3TfjsError('.h5').message } : undefined;
  return { format: 'keras-h5', sourceName: source.name, graph, document, notes, unavailableExports };
}

function nameListAttribute(target: Hdf5Group, name: string, texts: string[]): void {
  const width = Math.max(1, ...texts.map((text) => new TextEncoder().encode(text).byteLength));
  const perChunk = Math.max(1, Math.floor(ATTRIBUTE_CHUNK_BYTES / width));
  if (texts.length <= perChunk) {
    fixedTextListAttribute(target, name, texts);
    return;
  }
  for (let chunk = 0; chunk * perChunk < texts.length; chunk++) {
    fixedTextListAttribute(target, `${name}${chunk}`, texts.slice(chunk * perChunk, (chunk + 1) * perChunk));
  }
}

/**
 * Writes the Keras 2 HDF5 layout that Keras's legacy loader reads. The root
 * has attributes `model_config`, `keras_version`, `backend` and, when the
 * source had one, `training_config`. Group `model_weights` lists
 * `layer_names`; each layer's group lists `weight_names` and stores each
 * weight at `<layer>/<weight name>`.
 */
async function exportH5File(document: KerasH5Document, graph: ModelGraph): Promise<OutputFile[]> {
  const modelConfig = structuredClone(document.modelConfig);
  applyGraphToKerasConfig(modelConfig, graph);
  const tensors = graphTensorsBySourceName(graph);
  const bytes = await writeHdf5((root) => {
    fixedTextAttribute(root, 'backend', document.backend);
    fixedTextAttribute(root, 'keras_version', document.kerasVersion);
    // Configs can pass the 64 KiB header limit, so they are variable-length strings (h5py reads them as str, which Keras accepts).
    root.create_attribute('model_config', asciiJson(modelConfig));
    if (document.trainingConfig !== null) root.create_attribute('training_config', document.trainingConfig);
    const weightsGroup = root.create_group('model_weights');
    fixedTextAttribute(weightsGroup, 'backend', document.backend);
    fixedTextAttribute(weightsGroup, 'keras_version', document.kerasVersion);
    nameListAttribute(weightsGroup, 'layer_names', document.layers.map((layer) => layer.name));
    for (const layer of document.layers) {
      const layerGroup = ensureGroup(weightsGroup, layer.name);
      nameListAttribute(layerGroup, 'weight_names', layer.weightNames);
      for (const name of layer.weightNames) {
        const tensor = tensors.get(name);
        if (!tensor) throw new Error(`Weight '${name}' of layer '${layer.name}' has no counterpart in the pruned graph.`);
        writeFloat32Dataset(layerGroup, name, tensor.shape, tensor.values);
      }
    }
    const topLevel = document.topLevelWeights;
    if (topLevel) {
      const group = weightsGroup.create_group(TOP_LEVEL_GROUP);
      nameListAttribute(group, 'weight_names', topLevel.names);
      topLevel.tensors.forEach((tensor, i) => writeFloat32Dataset(group, topLevel.names[i], tensor.shape, tensor.values));
    }
  });
  return [{ name: exportFileName(document.fileName, H5_EXTENSIONS), bytes, mimeType: 'application/x-hdf5' }];
}

function topLevelLayers(modelConfig: KerasModelConfig): KerasLayerConfig[] {
  const config = modelConfig.config;
  return Array.isArray(config) ? config : ((config.layers ?? []) as KerasLayerConfig[]);
}

function isNestedKeras3(document: KerasH5Document): boolean {
  return document.kerasVersion.startsWith('3') && topLevelLayers(document.modelConfig).some(isNestedModel);
}

/**
 * Names the stored weights as TF.js expects them (`<layer>/<role>`): Keras 3
 * prefixes them with the model name (`seq/c1/kernel`) and calls a depthwise
 * kernel `kernel`. A Keras 2 nested model stores its layers' weights under
 * their own names (`inner_conv/kernel:0`), which TF.js also uses, so those stay.
 */
function tfjsManifestEntries(document: KerasH5Document): { entries: WeightsManifestEntry[]; sourceNames: Map<WeightsManifestEntry, string> } {
  const configs = new Map(topLevelLayers(document.modelConfig).map((layer) => [String(layer.config.name ?? layer.name), layer]));
  const entries: WeightsManifestEntry[] = [];
  const sourceNames = new Map<WeightsManifestEntry, string>();
  for (const { name: layerName, weightNames } of document.layers) {
    if (weightNames.length === 0) continue;
    const layer = configs.get(layerName);
    if (!layer) throw new Error(`Layer '${layerName}' has weights in the file but is not in model_config; the file was modified. Save the model again with model.save().`);
    const names = isNestedModel(layer) ? weightNames.map((name) => name.replace(/:\d+$/, '')) : tfjsVariableNames(layer, layerName, weightNames.length, '.h5');
    names.forEach((name, index) => {
      const entry: WeightsManifestEntry = { name, shape: [], dtype: 'float32' };
      entries.push(entry);
      sourceNames.set(entry, weightNames[index]);
    });
  }
  return { entries, sourceNames };
}

async function exportTfjs(document: KerasH5Document, graph: ModelGraph): Promise<OutputFile[]> {
  if (isNestedKeras3(document)) throw nestedKeras3TfjsError('.h5');
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: `keras v${document.kerasVersion}`,
    convertedBy: 'LinDeps Workbench',
    modelTopology: {
      keras_version: document.kerasVersion,
      backend: document.backend,
      model_config: keras2ModelConfig(document.modelConfig),
    },
    weightsManifest: [],
  };
  const { entries, sourceNames } = tfjsManifestEntries(document);
  await checkTfjsLoadable(modelJson, 'an .h5 file');
  return writeLayersModel(modelJson, entries, graph, 'model.json', (entry) => sourceNames.get(entry)!);
}

async function exportKerasH5(model: ImportedModel, graph: ModelGraph, targetId = KERAS_H5_EXPORT_TARGET.id): Promise<OutputFile[]> {
  const document = model.document as KerasH5Document;
  if (targetId === KERAS_H5_EXPORT_TARGET.id) return exportH5File(document, graph);
  if (targetId === TFJS_EXPORT_TARGET.id) return exportTfjs(document, graph);
  throw new Error(`Keras HDF5 models cannot be exported as '${targetId}'; choose '${KERAS_H5_EXPORT_TARGET.id}' or '${TFJS_EXPORT_TARGET.id}'.`);
}

export const kerasH5Format: ModelFormat = {
  id: 'keras-h5',
  label: 'Keras HDF5',
  recognize: (files) => files.some(isHdf5),
  import: importKerasH5,
  exportTargets: [KERAS_H5_EXPORT_TARGET, TFJS_EXPORT_TARGET],
  export: exportKerasH5,
};
