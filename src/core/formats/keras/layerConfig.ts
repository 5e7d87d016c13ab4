import type { ActivationName, GraphNode, Padding, WeightTensor } from '../../graph/types';
import type { KerasLayerConfig } from '../tfjs/modelJson';
import { isTfjsLayerClass } from './tfjsLayerClasses';

/** Looks up a layer's weight by role (`kernel`, `bias`, `gamma`, `moving_mean`, ...). */
export interface WeightLookup {
  (layerName: string, role: string): WeightTensor | null;
  /** Every weight of the layer, in the order the file stores them. */
  layerWeights(layerName: string): WeightTensor[];
}

/** Keras layer classes that are the identity at inference time. */
const INFERENCE_IDENTITY_CLASSES = new Set([
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'ActivityRegularization',
]);

const KERAS_ACTIVATIONS: Record<string, ActivationName> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  tanh: 'tanh',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
  gelu: 'gelu',
  leaky_relu: 'leakyRelu',
  softmax: 'softmax',
};

function layerError(layer: KerasLayerConfig, problem: string): Error {
  return new Error(`Layer '${String(layer.config.name)}' (${layer.class_name}): ${problem}`);
}

function pair(value: unknown, layer: KerasLayerConfig, field: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0] as number, value[1] as number];
  }
  throw layerError(layer, `'${field}' is ${JSON.stringify(value)}, expected a number or a pair of numbers.`);
}

function activation(value: unknown, layer: KerasLayerConfig): ActivationName {
  // Keras 3 may store an activation as {class_name, config} instead of its name.
  const name = typeof value === 'object' && value !== null ? (value as { class_name?: unknown }).class_name : value ?? 'linear';
  const known = typeof name === 'string' ? KERAS_ACTIVATIONS[name] : undefined;
  if (!known) throw layerError(layer, `activation ${JSON.stringify(name)} is not supported.`);
  return known;
}

function padding(value: unknown, layer: KerasLayerConfig): Padding {
  if (value === 'valid' || value === 'same') return value;
  throw layerError(layer, `padding ${JSON.stringify(value)} is not supported (use 'valid' or 'same').`);
}

function requireChannelsLast(layer: KerasLayerConfig): void {
  const format = layer.config.data_format;
  if (format !== undefined && format !== null && format !== 'channels_last') {
    throw layerError(layer, `data_format '${String(format)}' is not supported; only channels_last models can be pruned.`);
  }
}

function requireWeight(weights: WeightLookup, layer: KerasLayerConfig, role: string): WeightTensor {
  const name = String(layer.config.name);
  const tensor = weights(name, role);
  if (!tensor) throw layerError(layer, `weight '${role}' is missing from the weight files.`);
  return tensor;
}

function zeroPadding(value: unknown, layer: KerasLayerConfig): [[number, number], [number, number]] {
  if (typeof value === 'number') return [[value, value], [value, value]];
  if (Array.isArray(value) && value.length === 2) {
    const [rows, cols] = value;
    const asPair = (entry: unknown): [number, number] => pair(entry, layer, 'padding');
    return [asPair(rows), asPair(cols)];
  }
  throw layerError(layer, `padding ${JSON.stringify(value)} is not supported.`);
}

/** Fields every convolution layer shares: window, strides, dilation, padding, activation and bias. */
function convolutionFields(layer: KerasLayerConfig, weights: WeightLookup) {
  const config = layer.config;
  requireChannelsLast(layer);
  return {
    kernelSize: pair(config.kernel_size, layer, 'kernel_size'),
    strides: pair(config.strides ?? 1, layer, 'strides'),
    dilation: pair(config.dilation_rate ?? 1, layer, 'dilation_rate'),
    padding: padding(config.padding ?? 'valid', layer),
    activation: activation(config.activation, layer),
    bias: config.use_bias === false ? null : requireWeight(weights, layer, 'bias'),
  };
}

function convNode(layer: KerasLayerConfig, name: string, inputs: string[], weights: WeightLookup): GraphNode {
  const groups = layer.config.groups;
  if (groups !== undefined && groups !== 1) {
    throw layerError(layer, `grouped convolution (groups=${String(groups)}) is not supported yet.`);
  }
  const fields = convolutionFields(layer, weights);
  return { op: 'Conv2D', name, inputs, filters: Number(layer.config.filters), kernel: requireWeight(weights, layer, 'kernel'), ...fields };
}

function depthwiseNode(layer: KerasLayerConfig, name: string, inputs: string[], weights: WeightLookup): GraphNode {
  const fields = convolutionFields(layer, weights);
  const depthMultiplier = Number(layer.config.depth_multiplier ?? 1);
  // Keras 3 names the depthwise variable `kernel` (legacy .h5 files from Keras 3 keep that name).
  const kernel = weights(name, 'depthwise_kernel') ?? requireWeight(weights, layer, 'kernel');
  return { op: 'DepthwiseConv2D', name, inputs, depthMultiplier, kernel, ...fields };
}

function separableNode(layer: KerasLayerConfig, name: string, inputs: string[], weights: WeightLookup): GraphNode {
  const fields = convolutionFields(layer, weights);
  return {
    op: 'SeparableConv2D',
    name,
    inputs,
    filters: Number(layer.config.filters),
    depthMultiplier: Number(layer.config.depth_multiplier ?? 1),
    depthwiseKernel: requireWeight(weights, layer, 'depthwise_kernel'),
    pointwiseKernel: requireWeight(weights, layer, 'pointwise_kernel'),
    ...fields,
  };
}

function concatenateNode(layer: KerasLayerConfig, name: string, inputs: string[]): GraphNode {
  const axis = layer.config.axis ?? -1;
  if (axis !== -1 && axis !== 3) throw layerError(layer, `axis ${JSON.stringify(axis)} is not supported; only the channel axis (-1) is.`);
  return { op: 'Concatenate', name, inputs };
}

function reshapeNode(layer: KerasLayerConfig, name: string, inputs: string[]): GraphNode {
  const target = layer.config.target_shape;
  if (!Array.isArray(target) || target.some((size) => typeof size !== 'number')) {
    throw layerError(layer, `target_shape ${JSON.stringify(target)} is not a list of numbers.`);
  }
  return { op: 'Reshape', name, inputs, targetShape: target as number[] };
}

function poolNode(layer: KerasLayerConfig, name: string, inputs: string[], op: 'MaxPool2D' | 'AvgPool2D'): GraphNode {
  requireChannelsLast(layer);
  const poolSize = pair(layer.config.pool_size ?? 2, layer, 'pool_size');
  const strides = layer.config.strides == null ? poolSize : pair(layer.config.strides, layer, 'strides');
  return { op, name, inputs, poolSize, strides, padding: padding(layer.config.padding ?? 'valid', layer) };
}

function batchNormNode(layer: KerasLayerConfig, name: string, inputs: string[], weights: WeightLookup): GraphNode {
  const axis = layer.config.axis;
  const axisValue = Array.isArray(axis) ? axis[0] : axis;
  if (axisValue !== undefined && axisValue !== -1 && axisValue !== 3) {
    throw layerError(layer, `axis ${JSON.stringify(axis)} is not supported; only the channel axis (-1) is.`);
  }
  return {
    op: 'BatchNorm',
    name,
    inputs,
    epsilon: Number(layer.config.epsilon ?? 1e-3),
    gamma: layer.config.scale === false ? null : requireWeight(weights, layer, 'gamma'),
    beta: layer.config.center === false ? null : requireWeight(weights, layer, 'beta'),
    movingMean: requireWeight(weights, layer, 'moving_mean'),
    movingVariance: requireWeight(weights, layer, 'moving_variance'),
  };
}

/** Builds a graph node from one Keras layer config (as stored in TF.js and Keras files). */
export function kerasLayerToNode(layer: KerasLayerConfig, inputs: string[], weights: WeightLookup): GraphNode {
  const config = layer.config;
  const name = String(config.name);
  const className = layer.class_name;
  if (INFERENCE_IDENTITY_CLASSES.has(className)) return { op: 'Identity', name, inputs };
  switch (className) {
    case 'Conv2D':
    case 'Convolution2D':
      return convNode(layer, name, inputs, weights);
    case 'DepthwiseConv2D':
      return depthwiseNode(layer, name, inputs, weights);
    case 'SeparableConv2D':
    case 'SeparableConvolution2D':
      return separableNode(layer, name, inputs, weights);
    case 'PReLU':
      return { op: 'PReLU', name, inputs, alpha: requireWeight(weights, layer, 'alpha') };
    case 'Add':
      return { op: 'Add', name, inputs };
    case 'Concatenate':
      return concatenateNode(layer, name, inputs);
    case 'Reshape':
      return reshapeNode(layer, name, inputs);
    case 'Dense': {
      const kernel = requireWeight(weights, layer, 'kernel');
      const bias = config.use_bias === false ? null : requireWeight(weights, layer, 'bias');
      return { op: 'Dense', name, inputs, units: Number(config.units), activation: activation(config.activation, layer), kernel, bias };
    }
    case 'Activation':
      return { op: 'Activation', name, inputs, activation: activation(config.activation, layer) };
    case 'Softmax':
      return { op: 'Activation', name, inputs, activation: 'softmax' };
    case 'ReLU':
      return {
        op: 'ReLU',
        name,
        inputs,
        maxValue: config.max_value == null ? null : Number(config.max_value),
        negativeSlope: Number(config.negative_slope ?? 0),
        threshold: Number(config.threshold ?? 0),
      };
    case 'LeakyReLU':
      // Keras 2 names the slope `alpha`, Keras 3 `negative_slope`; both default to 0.3.
      return { op: 'LeakyReLU', name, inputs, alpha: Number(config.alpha ?? config.negative_slope ?? 0.3) };
    case 'MaxPooling2D':
    case 'MaxPool2D':
      return poolNode(layer, name, inputs, 'MaxPool2D');
    case 'AveragePooling2D':
    case 'AvgPool2D':
      return poolNode(layer, name, inputs, 'AvgPool2D');
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      requireChannelsLast(layer);
      if (config.keepdims === true) throw layerError(layer, 'keepdims=true is not supported yet.');
      return { op: className === 'GlobalAveragePooling2D' ? 'GlobalAvgPool' : 'GlobalMaxPool', name, inputs };
    case 'Flatten':
      requireChannelsLast(layer);
      return { op: 'Flatten', name, inputs };
    case 'ZeroPadding2D':
      requireChannelsLast(layer);
      return { op: 'ZeroPadding2D', name, inputs, padding: zeroPadding(config.padding ?? 1, layer) };
    case 'BatchNormalization':
      return batchNormNode(layer, name, inputs, weights);
    default:
      if (isTfjsLayerClass(className)) {
        return { op: 'KerasLayer', name, inputs, className, config: layer.config, weights: weights.layerWeights(name) };
      }
      throw layerError(
        layer,
        `layer class '${className}' is neither built into TensorFlow.js nor supported by the workbench (a custom layer?). Supported: Conv2D, DepthwiseConv2D, SeparableConv2D, Dense, ` +
          'Activation, ReLU, LeakyReLU, PReLU, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, ' +
          'BatchNormalization, ZeroPadding2D, Flatten, Reshape, Add, Concatenate, Dropout, InputLayer.',
      );
  }
}
