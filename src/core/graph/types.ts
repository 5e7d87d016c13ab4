/**
 * Format-neutral model graph. Importers build it, the executor, the channel
 * analysis and the surgery read it, exporters write it back into the user's file.
 *
 * Layout is channels-last throughout: activations are NHWC, conv kernels are
 * HWIO ([kh, kw, inChannels, outChannels]) and dense kernels are [inUnits, outUnits].
 */

/** Element-wise activation functions the executor implements. */
export type ActivationName =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'elu'
  | 'selu'
  | 'sigmoid'
  | 'hardSigmoid'
  | 'tanh'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'gelu'
  | 'leakyRelu'
  | 'softmax'
  /** log(softmax(x)) over the last axis, as ONNX LogSoftmax. */
  | 'logSoftmax';

export type Padding = 'valid' | 'same';

export interface WeightTensor {
  shape: number[];
  values: Float32Array;
  /** Name of this tensor in the file it was imported from, so an exporter can write it back in place. */
  sourceName?: string;
}

interface NodeBase {
  /** Unique name; for imported models, the layer name in the source file. */
  name: string;
  /** Names of the nodes whose outputs this node reads, in argument order. */
  inputs: string[];
}

export interface InputNode extends NodeBase {
  op: 'Input';
  /** Shape without the batch dimension, e.g. [64, 64, 3]. */
  shape: number[];
}

export interface Conv2DNode extends NodeBase {
  op: 'Conv2D';
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: Padding;
  activation: ActivationName;
  /** [kh, kw, in, out]. */
  kernel: WeightTensor;
  bias: WeightTensor | null;
}

/** Per-channel convolution; output channel c * depthMultiplier + m reads input channel c only. */
export interface DepthwiseConv2DNode extends NodeBase {
  op: 'DepthwiseConv2D';
  depthMultiplier: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: Padding;
  activation: ActivationName;
  /** [kh, kw, in, depthMultiplier]. */
  kernel: WeightTensor;
  bias: WeightTensor | null;
}

/** Depthwise convolution followed by a 1x1 convolution, as one Keras layer. */
export interface SeparableConv2DNode extends NodeBase {
  op: 'SeparableConv2D';
  filters: number;
  depthMultiplier: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: Padding;
  activation: ActivationName;
  /** [kh, kw, in, depthMultiplier]. */
  depthwiseKernel: WeightTensor;
  /** [1, 1, in * depthMultiplier, filters]. */
  pointwiseKernel: WeightTensor;
  bias: WeightTensor | null;
}

export interface DenseNode extends NodeBase {
  op: 'Dense';
  units: number;
  activation: ActivationName;
  /** [in, units]. */
  kernel: WeightTensor;
  bias: WeightTensor | null;
}

export interface ActivationNode extends NodeBase {
  op: 'Activation';
  activation: ActivationName;
}

/** Keras `ReLU` layer: min(max(x, threshold-gated slope), maxValue). */
export interface ReluNode extends NodeBase {
  op: 'ReLU';
  maxValue: number | null;
  negativeSlope: number;
  threshold: number;
}

/** Parametric ReLU; alpha has the input's shape without batch, with 1 on shared axes. */
export interface PReluNode extends NodeBase {
  op: 'PReLU';
  alpha: WeightTensor;
}

/** Element-wise sum of all inputs (residual connections). */
export interface AddNode extends NodeBase {
  op: 'Add';
}

/** Concatenation along the channel (last) axis. */
export interface ConcatenateNode extends NodeBase {
  op: 'Concatenate';
}

export interface ReshapeNode extends NodeBase {
  op: 'Reshape';
  /** Shape without batch; one entry may be -1. */
  targetShape: number[];
}

/**
 * A layer without an implementation of its own in the workbench, run by
 * TensorFlow.js Layers from its Keras config. The channel analysis treats it
 * as opaque: channels that flow into it cannot be pruned.
 */
export interface KerasLayerNode extends NodeBase {
  op: 'KerasLayer';
  className: string;
  /** The layer's Keras config as stored in the file (snake_case keys). */
  config: Record<string, unknown>;
  /** Its weights in the order the file stores them, which is the order Keras creates them. */
  weights: WeightTensor[];
}

export interface LeakyReluNode extends NodeBase {
  op: 'LeakyReLU';
  alpha: number;
}

export interface Pool2DNode extends NodeBase {
  op: 'MaxPool2D' | 'AvgPool2D';
  poolSize: [number, number];
  strides: [number, number];
  padding: Padding;
}

export interface GlobalPoolNode extends NodeBase {
  op: 'GlobalAvgPool' | 'GlobalMaxPool';
}

export interface BatchNormNode extends NodeBase {
  op: 'BatchNorm';
  epsilon: number;
  /** Each [channels]; gamma/beta are null when the layer has scale/center off. */
  gamma: WeightTensor | null;
  beta: WeightTensor | null;
  movingMean: WeightTensor;
  movingVariance: WeightTensor;
}

/** Nodes that pass their input through at inference time (Dropout and friends). */
export interface IdentityNode extends NodeBase {
  op: 'Identity';
}

export interface FlattenNode extends NodeBase {
  op: 'Flatten';
}

export interface ZeroPadding2DNode extends NodeBase {
  op: 'ZeroPadding2D';
  /** [[top, bottom], [left, right]]. */
  padding: [[number, number], [number, number]];
}

export type GraphNode =
  | InputNode
  | Conv2DNode
  | DepthwiseConv2DNode
  | SeparableConv2DNode
  | DenseNode
  | PReluNode
  | AddNode
  | ConcatenateNode
  | ReshapeNode
  | KerasLayerNode
  | ActivationNode
  | ReluNode
  | LeakyReluNode
  | Pool2DNode
  | GlobalPoolNode
  | BatchNormNode
  | IdentityNode
  | FlattenNode
  | ZeroPadding2DNode;

export type OpType = GraphNode['op'];

export interface ModelGraph {
  name: string;
  /** Nodes in topological order: every node comes after all of its inputs. */
  nodes: GraphNode[];
  /** Names of the input nodes. */
  inputs: string[];
  /** Names of the nodes whose outputs are the model's outputs. */
  outputs: string[];
}
