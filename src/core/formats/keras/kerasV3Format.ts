import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { ModelGraph } from '../../graph/types';
import { decodeUtf8, type InputFile, type OutputFile } from '../inputFile';
import type { ExportTarget, ImportedModel, ModelFormat } from '../modelFormat';
import type { KerasModelConfig, TfjsModelJson, WeightsManifestEntry } from '../tfjs/modelJson';
import { TFJS_EXPORT_TARGET } from '../tfjs/tfjsLayersFormat';
import { checkTfjsLoadable } from '../tfjs/checkTfjsLoadable';
import { writeLayersModel } from '../tfjs/writeLayersModel';
import { openHdf5 } from './hdf5Reading';
import { asciiJson } from './hdf5Writer';
import { keras2ModelConfig } from './keras2Config';
import { hasOptimizerState, KERAS_V3_WEIGHTS_FILE, layerStorage, LEGACY_LAYERS_GROUP, readKerasV3Weights, writeKerasV3Weights, type LayerStorage } from './kerasV3Weights';
import { kerasTopologyToGraph } from './modelTopology';
import { applyGraphToKerasConfig } from './prunedLayerConfig';
import { exportFileName, extensionNote } from './exportFileName';
import { trainingOnlyObjectNotes } from './trainingOnlyObjects';
import { nestedKeras3TfjsError, tfjsVariableNames } from './tfjsWeightNames';

const CONFIG_FILE = 'config.json';
const METADATA_FILE = 'metadata.json';
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const KERAS_EXTENSION = '.keras';

interface KerasV3Document {
  modelConfig: KerasModelConfig;
  /** Every entry of the archive as read (metadata.json and assets are written back unchanged). */
  entries: Record<string, Uint8Array>;
  storage: LayerStorage[];
  fileName: string;
}

export const KERAS_V3_EXPORT_TARGET: ExportTarget = {
  id: 'keras-v3',
  label: 'Keras 3 (.keras)',
  howToLoad: 'Load the downloaded .keras file with keras.models.load_model(path) (Keras 3). Layer names are unchanged; the optimizer state is not included.',
};

function isZip(file: InputFile): boolean {
  return ZIP_SIGNATURE.every((byte, i) => file.bytes[i] === byte);
}

/** Names of the archive's entries, read from its directory without inflating them. */
function entryNames(file: InputFile): string[] {
  const names: string[] = [];
  try {
    unzipSync(file.bytes, { filter: (entry) => (names.push(entry.name), false) });
  } catch {
    return [];
  }
  return names;
}

function isKerasArchive(file: InputFile): boolean {
  if (!isZip(file)) return false;
  const names = entryNames(file);
  return names.includes(CONFIG_FILE) || names.includes(KERAS_V3_WEIGHTS_FILE) || file.name.toLowerCase().endsWith('.keras');
}

function readArchive(file: InputFile): Record<string, Uint8Array> {
  try {
    return unzipSync(file.bytes);
  } catch (error) {
    throw new Error(`'${file.name}' could not be unzipped (${(error as Error).message}); the file may be truncated.`);
  }
}

function parseConfig(entries: Record<string, Uint8Array>, fileName: string): KerasModelConfig {
  const bytes = entries[CONFIG_FILE];
  if (!bytes) {
    throw new Error(
      `'${fileName}' is a zip archive without ${CONFIG_FILE}, so it is not a Keras 3 model. ` +
        `It contains: ${Object.keys(entries).join(', ') || 'nothing'}. Save the whole model with model.save("model.keras").`,
    );
  }
  let config: KerasModelConfig;
  try {
    config = JSON.parse(decodeUtf8(bytes)) as KerasModelConfig;
  } catch (error) {
    throw new Error(`${CONFIG_FILE} in '${fileName}' is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof config.class_name !== 'string' || !config.config || typeof config.config !== 'object') {
    throw new Error(`${CONFIG_FILE} in '${fileName}' is not a Keras model config (it needs class_name and config).`);
  }
  return config;
}

function weightsBytes(entries: Record<string, Uint8Array>, fileName: string): Uint8Array {
  const bytes = entries[KERAS_V3_WEIGHTS_FILE];
  if (bytes) return bytes;
  const hint = entries['model.weights.npz']
    ? 'It contains model.weights.npz, which the workbench cannot read; save with the default weights format (h5).'
    : 'The archive is incomplete; save the model again with model.save("model.keras").';
  throw new Error(`'${fileName}' contains ${CONFIG_FILE} but no ${KERAS_V3_WEIGHTS_FILE}. ${hint}`);
}

const NESTED_NOTE = 'The model nests another model, so it can be exported as .keras but not as TF.js files.';

/** Nested models keep their layers below their own path (`layers/sequential/layers/conv2d`). */
function nestsModels(storage: LayerStorage[]): boolean {
  return storage.some(({ path }) => path.split('/layers/').length > 1);
}

function importKerasV3(files: InputFile[]): ImportedModel {
  const source = files.find(isKerasArchive) ?? files.find(isZip);
  if (!source) throw new Error('No Keras 3 archive (.keras) was found among the given files.');
  const entries = readArchive(source);
  const modelConfig = parseConfig(entries, source.name);
  const weightsFile = openHdf5(weightsBytes(entries, source.name), KERAS_V3_WEIGHTS_FILE);
  const storage = layerStorage(modelConfig);
  const weights = readKerasV3Weights(weightsFile, storage, `${source.name}/${KERAS_V3_WEIGHTS_FILE}`);
  const graph = kerasTopologyToGraph(modelConfig, weights);
  const notes: string[] = [];
  const nameNote = extensionNote(source.name, 'a Keras 3 archive', [KERAS_EXTENSION]);
  if (nameNote) notes.push(nameNote);
  notes.push(...trainingOnlyObjectNotes(modelConfig));
  if (nestsModels(storage)) notes.push(NESTED_NOTE);
  if (weightsFile.keys.includes(LEGACY_LAYERS_GROUP)) {
    notes.push('The weights use the tf.keras 2.13-2.15 layout; the .keras export writes the Keras 3 layout, which Keras 3 loads.');
  }
  if (hasOptimizerState(weightsFile)) {
    notes.push('The file contains optimizer state; the export leaves it out, since its shapes follow the unpruned weights. Training restarts it.');
  }
  const document: KerasV3Document = { modelConfig, entries, storage, fileName: source.name };
  const unavailableExports = nestsModels(storage) ? { [TFJS_EXPORT_TARGET.id]: nestedKeras3TfjsError(KERAS_EXTENSION).message } : undefined;
  return { format: 'keras-v3', sourceName: source.name, graph, document, notes, unavailableExports };
}

async function exportKerasArchive(document: KerasV3Document, graph: ModelGraph): Promise<OutputFile[]> {
  const modelConfig = structuredClone(document.modelConfig);
  applyGraphToKerasConfig(modelConfig, graph);
  const original = openHdf5(document.entries[KERAS_V3_WEIGHTS_FILE], KERAS_V3_WEIGHTS_FILE);
  const { bytes: weights } = await writeKerasV3Weights(original, document.storage, graph);
  // Keras writes metadata, config and weights in this order, uncompressed; other entries (assets) follow unchanged.
  const archive: Zippable = {};
  if (document.entries[METADATA_FILE]) archive[METADATA_FILE] = document.entries[METADATA_FILE];
  archive[CONFIG_FILE] = new TextEncoder().encode(asciiJson(modelConfig));
  archive[KERAS_V3_WEIGHTS_FILE] = weights;
  for (const [name, bytes] of Object.entries(document.entries)) {
    if (!(name in archive) && !name.endsWith('/')) archive[name] = bytes;
  }
  return [{ name: exportFileName(document.fileName, [KERAS_EXTENSION]), bytes: zipSync(archive, { level: 0 }), mimeType: 'application/zip' }];
}

function kerasVersion(document: KerasV3Document): string {
  const metadata = document.entries[METADATA_FILE];
  if (!metadata) return '3';
  try {
    const version = (JSON.parse(decodeUtf8(metadata)) as { keras_version?: unknown }).keras_version;
    return typeof version === 'string' ? version : '3';
  } catch {
    return '3';
  }
}

function tfjsManifestEntries(storage: LayerStorage[]): { entries: WeightsManifestEntry[]; sourceNames: Map<WeightsManifestEntry, string> } {
  const entries: WeightsManifestEntry[] = [];
  const sourceNames = new Map<WeightsManifestEntry, string>();
  for (const { layer, layerName, path, variableCount } of storage) {
    if (variableCount === 0) continue;
    tfjsVariableNames(layer, layerName, variableCount, KERAS_EXTENSION).forEach((name, index) => {
      const entry: WeightsManifestEntry = { name, shape: [], dtype: 'float32' };
      entries.push(entry);
      sourceNames.set(entry, `${path}/vars/${index}`);
    });
  }
  return { entries, sourceNames };
}

async function exportTfjs(document: KerasV3Document, graph: ModelGraph): Promise<OutputFile[]> {
  if (nestsModels(document.storage)) throw nestedKeras3TfjsError(KERAS_EXTENSION);
  const version = kerasVersion(document);
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: `keras v${version}`,
    convertedBy: 'LinDeps Workbench',
    modelTopology: { keras_version: version, backend: 'tensorflow', model_config: keras2ModelConfig(document.modelConfig) },
    weightsManifest: [],
  };
  const { entries, sourceNames } = tfjsManifestEntries(document.storage);
  await checkTfjsLoadable(modelJson, 'a .keras file');
  return writeLayersModel(modelJson, entries, graph, 'model.json', (entry) => sourceNames.get(entry)!);
}

async function exportKerasV3(model: ImportedModel, graph: ModelGraph, targetId = KERAS_V3_EXPORT_TARGET.id): Promise<OutputFile[]> {
  const document = model.document as KerasV3Document;
  if (targetId === KERAS_V3_EXPORT_TARGET.id) return exportKerasArchive(document, graph);
  if (targetId === TFJS_EXPORT_TARGET.id) return exportTfjs(document, graph);
  throw new Error(`Keras 3 models cannot be exported as '${targetId}'; choose '${KERAS_V3_EXPORT_TARGET.id}' or '${TFJS_EXPORT_TARGET.id}'.`);
}

/** Keras 3 native archives (`.keras`): a zip of config.json, metadata.json and model.weights.h5. */
export const kerasV3Format: ModelFormat = {
  id: 'keras-v3',
  label: 'Keras 3 (.keras)',
  recognize: (files) => files.some(isKerasArchive),
  import: importKerasV3,
  exportTargets: [KERAS_V3_EXPORT_TARGET, TFJS_EXPORT_TARGET],
  export: exportKerasV3,
};
