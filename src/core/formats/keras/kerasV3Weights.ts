import type * as hdf5 from 'jsfive';
import type { ModelGraph, WeightTensor } from '../../graph/types';
import type { KerasLayerConfig, KerasModelConfig } from '../tfjs/modelJson';
import { graphTensorsBySourceName } from './graphTensors';
import { childAt, isDataset, readFloatDataset } from './hdf5Reading';
import { ensureGroup, writeHdf5, type Hdf5Group } from './hdf5Writer';
import type { WeightLookup } from './layerConfig';
import { isNestedModel, layerVariableRoles, snakeCaseClassName } from './layerVariables';

export const KERAS_V3_WEIGHTS_FILE = 'model.weights.h5';

/**
 * Location of one layer's variables in a Keras 3 weights file. Keras 3
 * (saving_lib, H5IOStore) stores a model's own variables in `vars/` and each
 * layer's under `layers/<class name in snake case>/vars/<index>`. The second
 * layer of a class gets the suffix `_1`, the third `_2`, and so on, counted
 * within the enclosing model. A nested model's layers continue below its own
 * path (`layers/sequential/layers/conv2d/vars`).
 */
export interface LayerStorage {
  layer: KerasLayerConfig;
  layerName: string;
  /** Group path without the trailing `/vars`, e.g. `layers/conv2d_1`. */
  path: string;
  /** Number of variables the file contains for this layer (set on import). */
  variableCount: number;
}

function modelLayers(config: KerasModelConfig['config']): KerasLayerConfig[] {
  return Array.isArray(config) ? config : ((config.layers ?? []) as KerasLayerConfig[]);
}

/** Lists every layer (nested ones included) with its storage path, in the order Keras saves them. */
export function layerStorage(modelConfig: KerasModelConfig): LayerStorage[] {
  const found: LayerStorage[] = [];
  const visit = (layers: KerasLayerConfig[], prefix: string, sequential: boolean): void => {
    const used = new Map<string, number>();
    for (const layer of layers) {
      // Sequential.layers leaves out its InputLayer, so Keras stores nothing for it.
      if (sequential && layer.class_name === 'InputLayer') continue;
      const base = snakeCaseClassName(layer.class_name);
      const count = used.has(base) ? used.get(base)! + 1 : 0;
      used.set(base, count);
      const path = `${prefix}layers/${count === 0 ? base : `${base}_${count}`}`;
      found.push({ layer, layerName: String(layer.config.name ?? layer.name), path, variableCount: 0 });
      if (isNestedModel(layer)) visit(layer.config.layers as KerasLayerConfig[], `${path}/`, layer.class_name === 'Sequential');
    }
  };
  visit(modelLayers(modelConfig.config), '', modelConfig.class_name === 'Sequential' || Array.isArray(modelConfig.config));
  return found;
}

export const LEGACY_LAYERS_GROUP = '_layer_checkpoint_dependencies';

/**
 * Finds the `vars` group of a layer. tf.keras 2.13 to 2.15 wrote `.keras`
 * files with `_layer_checkpoint_dependencies/<layer name>` in place of
 * `layers/<class name>`. Keras 3 reads those files with the class name under
 * that group, which is tried last.
 */
function variablesGroup(file: hdf5.File, entry: LayerStorage): hdf5.Group | null {
  const legacy = entry.path.replace(/(^|\/)layers\//g, `$1${LEGACY_LAYERS_GROUP}/`);
  const byLayerName = legacy.replace(/[^/]+$/, entry.layerName);
  for (const candidate of [entry.path, byLayerName, legacy]) {
    const group = childAt(file, `${candidate}/vars`);
    if (group && !isDataset(group)) return group;
  }
  return null;
}

function variableKeys(group: hdf5.Group): string[] {
  return group.keys.filter((key) => /^\d+$/.test(key)).sort((a, b) => Number(a) - Number(b));
}

function missingVariablesError(storage: LayerStorage, roles: string[], found: number, fileName: string): Error {
  const { layerName, layer, path } = storage;
  return new Error(
    `Layer '${layerName}' (${layer.class_name}) needs ${roles.length} variables (${roles.join(', ')}) at '${path}/vars' in ` +
      `${fileName}, but the file contains ${found}. The weights file belongs to another model or was modified; save the model again with model.save().`,
  );
}

/** Reads every layer's variables and returns a lookup by layer name and role; fills each storage's variableCount. */
export function readKerasV3Weights(file: hdf5.File, storage: LayerStorage[], fileName: string): WeightLookup {
  const byLayer = new Map<string, { roles: string[] | null; tensors: WeightTensor[] }>();
  for (const entry of storage) {
    const roles = layerVariableRoles(entry.layer);
    const group = variablesGroup(file, entry);
    const keys = group ? variableKeys(group) : [];
    if (roles && roles.length !== keys.length) throw missingVariablesError(entry, roles, keys.length, fileName);
    const tensors = keys.map((key) => {
      const dataset = group!.get(key) as hdf5.Dataset;
      const sourceName = `${entry.path}/vars/${key}`;
      return { shape: [...dataset.shape], values: readFloatDataset(dataset, `${fileName}:${sourceName}`), sourceName };
    });
    entry.variableCount = tensors.length;
    byLayer.set(entry.layerName, { roles, tensors });
  }
  const lookup = (layerName: string, role: string): WeightTensor | null => {
    const layer = byLayer.get(layerName);
    const index = layer?.roles?.indexOf(role) ?? -1;
    return index >= 0 ? layer!.tensors[index] : null;
  };
  return Object.assign(lookup, { layerWeights: (layerName: string) => byLayer.get(layerName)?.tensors ?? [] });
}

/** Tells whether the file contains optimizer variables (their shapes follow the weights, so an export drops them). */
export function hasOptimizerState(file: hdf5.File): boolean {
  const group = childAt(file, 'optimizer/vars');
  return group !== null && !isDataset(group) && group.keys.length > 0;
}

const H5WASM_DTYPES: Record<string, string> = { f4: '<f', f8: '<d', i4: '<i', i8: '<q', u1: '<B', i1: '<b', u4: '<I', u8: '<Q' };

function typedValues(dtype: string, values: ArrayLike<number | bigint>): ArrayLike<number | bigint> & { buffer: ArrayBufferLike } {
  switch (dtype) {
    case 'f4':
      return Float32Array.from(values as ArrayLike<number>);
    case 'f8':
      return Float64Array.from(values as ArrayLike<number>);
    case 'i4':
      return Int32Array.from(values as ArrayLike<number>);
    case 'i1':
      return Int8Array.from(values as ArrayLike<number>);
    case 'u1':
      return Uint8Array.from(values as ArrayLike<number>);
    case 'u4':
      return Uint32Array.from(values as ArrayLike<number>);
    case 'i8':
      return BigInt64Array.from(Array.from(values, (value) => BigInt(value)));
    default:
      return BigUint64Array.from(Array.from(values, (value) => BigInt(value)));
  }
}

/** Copies a group (datasets of numeric types, recursively) from the original file; returns paths it could not copy. */
function copyGroup(source: hdf5.Group, target: Hdf5Group, path: string): string[] {
  const skipped: string[] = [];
  for (const key of source.keys) {
    const child = source.get(key);
    if (!isDataset(child)) {
      skipped.push(...copyGroup(child, target.create_group(key), `${path}/${key}`));
      continue;
    }
    const dtype = String(child.dtype).replace(/^[<>|]/, '');
    const h5Dtype = H5WASM_DTYPES[dtype];
    if (!h5Dtype) {
      skipped.push(`${path}/${key}`);
      continue;
    }
    target.create_dataset({ name: key, data: typedValues(dtype, child.value) as Float32Array, shape: [...child.shape], dtype: h5Dtype });
  }
  return skipped;
}

export interface WrittenWeights {
  bytes: Uint8Array;
  /** Variables of the original file that were left out (optimizer state, unknown dtypes). */
  dropped: string[];
}

/**
 * Writes a Keras 3 weights file for the pruned graph: each layer's variables
 * from the graph (matched by their path in the original file), other state
 * such as metric variables copied, and the optimizer state left out.
 */
export async function writeKerasV3Weights(original: hdf5.File, storage: LayerStorage[], graph: ModelGraph): Promise<WrittenWeights> {
  const tensors = graphTensorsBySourceName(graph);
  const dropped: string[] = [];
  const bytes = await writeHdf5((root) => {
    const rootVars = childAt(original, 'vars');
    if (rootVars && !isDataset(rootVars)) dropped.push(...copyGroup(rootVars, root.create_group('vars'), 'vars'));
    else root.create_group('vars');
    for (const entry of storage) {
      const group = ensureGroup(root, `${entry.path}/vars`);
      for (let index = 0; index < entry.variableCount; index++) {
        const sourceName = `${entry.path}/vars/${index}`;
        const tensor = tensors.get(sourceName);
        if (!tensor) throw new Error(`Variable '${sourceName}' (layer '${entry.layerName}') has no counterpart in the pruned graph.`);
        group.create_dataset({ name: String(index), data: tensor.values, shape: [...tensor.shape], dtype: '<f' });
      }
    }
    for (const key of original.keys) {
      if (key === 'layers' || key === 'vars' || key === LEGACY_LAYERS_GROUP) continue;
      if (key === 'optimizer') {
        dropped.push(key);
        continue;
      }
      const child = original.get(key);
      if (!isDataset(child)) dropped.push(...copyGroup(child, root.create_group(key), key));
    }
  });
  return { bytes, dropped };
}
