import * as tf from '@tensorflow/tfjs';
import type { KerasLayerConfig, KerasModelConfig } from '../tfjs/modelJson';
import { isNestedModel } from './layerVariables';

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTfjsClass(className: unknown): boolean {
  return typeof className === 'string' && className in tf.serialization.SerializationMap.getMap().classNameMap;
}

/** Keras 3 writes a dtype as a DTypePolicy object; Keras 2 and TF.js take the variable dtype name. */
function dtypeName(value: Json): Json {
  if (!isRecord(value)) return value;
  const name = isRecord(value.config) ? value.config.name : undefined;
  // A mixed policy ("mixed_float16") keeps float32 variables, which is what TF.js runs.
  return typeof name === 'string' && !name.startsWith('mixed_') ? name : 'float32';
}

/** Drops Keras 3's `module`/`registered_name` from a serialized object, recursively. */
function keras2Object(value: Json): Json {
  if (Array.isArray(value)) return value.map(keras2Object);
  if (!isRecord(value)) return value;
  const converted: Record<string, Json> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'module' || key === 'registered_name' || key === 'build_config' || key === 'compile_config') continue;
    if (key === 'dtype') converted[key] = dtypeName(entry);
    // Keras 3 writes swish as `silu`, and TensorFlow.js accepts only the name `swish`.
    else if (key === 'activation' && entry === 'silu') converted[key] = 'swish';
    else if (/_(regularizer|constraint)$/.test(key)) converted[key] = null;
    else if (/_initializer$/.test(key) && isRecord(entry) && !isTfjsClass(entry.class_name)) continue;
    else converted[key] = keras2Object(entry);
  }
  return converted;
}

/** `[layer, node, tensor]` triples of one Keras 3 call (`{args, kwargs}`) in argument order. */
function callReferences(value: Json, found: [string, number, number, Record<string, never>][]): void {
  if (Array.isArray(value)) {
    value.forEach((item) => callReferences(item, found));
    return;
  }
  if (!isRecord(value)) return;
  if (value.class_name === '__keras_tensor__') {
    const [layer, node, tensor] = (value.config as { keras_history: [string, number, number] }).keras_history;
    found.push([layer, node, tensor, {}]);
    return;
  }
  if ('args' in value) callReferences(value.args, found);
}

/** Keras 3 inbound nodes (`[{args, kwargs}]`) in the Keras 2 form `[[[layer, node, tensor, {}], ...]]`; Keras 2 ones pass through. */
function keras2InboundNodes(nodes: Json): Json {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((node) => {
    if (!isRecord(node)) return node;
    const found: [string, number, number, Record<string, never>][] = [];
    callReferences(node, found);
    return found;
  });
}

/** Keras 3 writes a single endpoint as `[name, 0, 0]`; Keras 2 always lists them. */
function endpointList(value: Json): Json {
  return Array.isArray(value) && typeof value[0] === 'string' ? [value] : value;
}

function keras2Layer(layer: KerasLayerConfig): KerasLayerConfig {
  const converted = keras2Object(layer) as KerasLayerConfig;
  if (layer.inbound_nodes !== undefined) converted.inbound_nodes = keras2InboundNodes(layer.inbound_nodes) as unknown[];
  const config = converted.config;
  if (config.batch_shape !== undefined && config.batch_input_shape === undefined) {
    config.batch_input_shape = config.batch_shape;
    delete config.batch_shape;
  }
  if (layer.class_name === 'InputLayer') delete config.optional;
  if (isNestedModel(layer)) Object.assign(config, keras2ModelBody(layer.config));
  return converted;
}

function keras2ModelBody(config: Record<string, Json>): Record<string, Json> {
  const body: Record<string, Json> = { layers: (config.layers as KerasLayerConfig[]).map(keras2Layer) };
  if (config.input_layers !== undefined) body.input_layers = endpointList(config.input_layers);
  if (config.output_layers !== undefined) body.output_layers = endpointList(config.output_layers);
  return body;
}

/**
 * Converts a Keras 3 model config into the Keras 2 form that TF.js 4.x
 * `tf.loadLayersModel` reads. That form has `batch_input_shape`, dtype names,
 * Keras 2 inbound nodes and listed endpoints, and no `module`,
 * `registered_name` or `build_config`. Regularizers and constraints are
 * dropped because they only affect training, and initializers TF.js does not
 * know are left at their defaults.
 */
export function keras2ModelConfig(modelConfig: KerasModelConfig): KerasModelConfig {
  const converted = keras2Object(modelConfig) as KerasModelConfig;
  const config = modelConfig.config;
  if (!Array.isArray(config)) Object.assign(converted.config, keras2ModelBody(config));
  else converted.config = config.map(keras2Layer);
  return converted;
}
