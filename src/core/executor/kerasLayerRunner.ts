import * as tf from '@tensorflow/tfjs';
import type { KerasLayerNode } from '../graph/types';

type ConfigValue = unknown;

/** snake_case to camelCase, as TensorFlow.js converts Keras keys and string values (channels_last -> channelsLast). */
function camelCase(identifier: string): string {
  return identifier.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Keys that only matter for training, or that Keras 3 writes in forms TensorFlow.js cannot read. */
function isTrainingOnly(key: string): boolean {
  return /_(regularizer|constraint|initializer)$/.test(key) || key === 'dtype' || key === 'trainable';
}

/**
 * Converts a Keras (snake_case) config to the camelCase form TensorFlow.js layer
 * constructors take: keys and string values alike, except names (the rule of
 * tfjs-layers' own convertPythonicToTs, version 4.22).
 */
function toTfjsConfig(value: ConfigValue, topLevel: boolean): ConfigValue {
  if (typeof value === 'string') return camelCase(value);
  if (Array.isArray(value)) return value.map((item) => toTfjsConfig(item, false));
  if (value === null || typeof value !== 'object') return value;
  const converted: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (topLevel && isTrainingOnly(key)) continue;
    converted[camelCase(key)] = key === 'name' ? entry : toTfjsConfig(entry, false);
  }
  return converted;
}

/** Builds a TensorFlow.js layer from a node's Keras config. */
function buildLayer(node: KerasLayerNode): tf.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[node.className];
  if (!entry) throw new Error(`Layer '${node.name}' (${node.className}) is not a TensorFlow.js layer class.`);
  const [constructor, fromConfig] = entry;
  try {
    return fromConfig(constructor, toTfjsConfig(node.config, true) as tf.serialization.ConfigDict) as unknown as tf.layers.Layer;
  } catch (error) {
    throw new Error(`Layer '${node.name}' (${node.className}) could not be built by TensorFlow.js: ${(error as Error).message}`);
  }
}

/** Output shape (without batch) of a Keras layer for the given input shapes (without batch). */
export function kerasLayerOutputShape(node: KerasLayerNode, inputShapes: number[][]): number[] {
  const layer = buildLayer(node);
  const withBatch = inputShapes.map((shape) => [null, ...shape]);
  const output = layer.computeOutputShape(withBatch.length === 1 ? withBatch[0] : withBatch) as (number | null)[];
  if (Array.isArray(output[0])) throw new Error(`Layer '${node.name}' (${node.className}) has several outputs, which is not supported.`);
  return output.slice(1) as number[];
}

/** Runs one Keras layer through a one-layer TensorFlow.js model holding the node's weights. */
export class KerasLayerRunner {
  private readonly model: tf.LayersModel;

  constructor(node: KerasLayerNode, inputShapes: number[][]) {
    const layer = buildLayer(node);
    const inputs = inputShapes.map((shape) => tf.input({ shape }));
    const output = layer.apply(inputs.length === 1 ? inputs[0] : inputs) as tf.SymbolicTensor;
    this.model = tf.model({ inputs, outputs: output, name: `${node.name}_runner` });
    if (layer.weights.length !== node.weights.length) {
      throw new Error(`Layer '${node.name}' (${node.className}) has ${node.weights.length} weights in the file; TensorFlow.js expects ${layer.weights.length}.`);
    }
    const values = node.weights.map((weight) => tf.tensor(weight.values, weight.shape));
    layer.setWeights(values);
    values.forEach((tensor) => tensor.dispose());
  }

  run(inputs: tf.Tensor[]): tf.Tensor {
    return this.model.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor;
  }

  dispose(): void {
    this.model.dispose();
  }
}
