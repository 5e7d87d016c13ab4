import { inferShapes } from '../../graph/shapes';
import type { ActivationName, GraphNode, ModelGraph, Padding, WeightTensor } from '../../graph/types';
import type { InitializerLayout, ReshapeShape, TensorLayout, TensorMapping } from './onnxDocument';
import { attribute, floatAttribute, intAttribute, intsAttribute, stringAttribute } from './onnxAttributes';
import { int64ToNumber, onnx, type OnnxTypes } from './onnxSchema';
import { assertInternalData, decodeFloatTensor, decodeIntTensor, tensorDims } from './onnxTensorData';
import { denseFromOnnx, oihwToHwio } from './onnxWeightLayouts';

type OnnxNode = OnnxTypes.INodeProto;
type OnnxTensor = OnnxTypes.ITensorProto;

export interface OnnxGraphImport {
  graph: ModelGraph;
  initializers: Map<string, InitializerLayout>;
  tensors: Map<string, TensorMapping>;
  reshapeShapes: ReshapeShape[];
}

const SUPPORTED_OPS = [
  'Conv', 'BatchNormalization', 'Relu', 'LeakyRelu', 'PRelu', 'Clip', 'Sigmoid', 'Tanh', 'Elu', 'Selu', 'Softplus', 'Softsign', 'HardSigmoid', 'Gelu',
  'Softmax', 'LogSoftmax', 'Dropout', 'Identity',
  'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Flatten', 'Reshape', 'Gemm', 'MatMul', 'Add', 'Concat', 'Pad', 'Constant',
];

const ELEMENTWISE_ACTIVATIONS: Record<string, ActivationName> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softplus: 'softplus', Softsign: 'softsign' };

/**
 * Activations whose ONNX attributes must keep the values the workbench's
 * activation hard-codes (TensorFlow.js elu and selu, the Keras 2 hard sigmoid).
 */
const FIXED_PARAMETER_ACTIVATIONS: Record<string, { activation: ActivationName; floats: Record<string, number>; strings?: Record<string, string> }> = {
  Elu: { activation: 'elu', floats: { alpha: 1 } },
  Selu: { activation: 'selu', floats: { alpha: 1.6732632423543772, gamma: 1.0507009873554805 } },
  HardSigmoid: { activation: 'hardSigmoid', floats: { alpha: 0.2, beta: 0.5 } },
  Gelu: { activation: 'gelu', floats: {}, strings: { approximate: 'none' } },
};

function product(values: number[]): number {
  return values.reduce((total, n) => total * n, 1);
}

/** TensorFlow 'same' padding along one axis: the total, split with the odd pixel at the end (ONNX SAME_UPPER). */
function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + effective - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

interface SpatialPadding {
  padding: Padding;
  /** Zero padding to insert before the layer, as [[top, bottom], [left, right]], or null. */
  explicit: [[number, number], [number, number]] | null;
}

/** Builds the workbench graph from an ONNX graph, one ONNX node at a time, in file order. */
export class OnnxGraphImporter {
  private readonly nodes: GraphNode[] = [];
  private readonly usedNames = new Set<string>();
  private readonly constants = new Map<string, OnnxTensor>();
  private readonly initializerNames = new Set<string>();
  private readonly mappings = new Map<string, TensorMapping>();
  private readonly initializers = new Map<string, InitializerLayout>();
  private readonly reshapeShapes: ReshapeShape[] = [];
  private readonly consumerCounts = new Map<string, number>();
  private readonly opset: number;

  constructor(
    private readonly model: OnnxTypes.IModelProto,
    private readonly fileName: string,
  ) {
    const defaultDomain = model.opsetImport?.find((entry) => !entry.domain || entry.domain === 'ai.onnx');
    this.opset = defaultDomain ? int64ToNumber(defaultDomain.version) : 1;
  }

  run(): OnnxGraphImport {
    const graph = this.model.graph!;
    for (const tensor of graph.initializer ?? []) {
      assertInternalData(tensor, this.fileName);
      this.constants.set(tensor.name!, tensor);
      this.initializerNames.add(tensor.name!);
    }
    if ((graph.sparseInitializer?.length ?? 0) > 0) {
      throw new Error(`'${this.fileName}' has sparse initializers, which are not supported; store the weights densely.`);
    }
    for (const node of graph.node ?? []) for (const input of node.input ?? []) this.consumerCounts.set(input, (this.consumerCounts.get(input) ?? 0) + 1);
    for (const output of graph.output ?? []) this.consumerCounts.set(output.name!, (this.consumerCounts.get(output.name!) ?? 0) + 1);
    const input = this.addInput(graph);
    for (const node of graph.node ?? []) this.convert(node);
    const outputs = (graph.output ?? []).map((output) => this.outputNode(output.name!));
    const modelGraph: ModelGraph = { name: graph.name || this.fileName, nodes: this.nodes, inputs: [input], outputs };
    inferShapes(modelGraph);
    return { graph: modelGraph, initializers: this.initializers, tensors: this.mappings, reshapeShapes: this.reshapeShapes };
  }

  // ---- Bookkeeping ----

  private uniqueName(preferred: string): string {
    let name = preferred;
    for (let suffix = 1; this.usedNames.has(name); suffix++) name = `${preferred}_${suffix}`;
    this.usedNames.add(name);
    return name;
  }

  private nodeName(node: OnnxNode): string {
    return node.name || node.output?.[0] || node.opType || 'node';
  }

  private describe(node: OnnxNode): string {
    return `Node '${this.nodeName(node)}' (${node.opType})`;
  }

  private add<T extends GraphNode>(node: T): T {
    this.nodes.push(node);
    return node;
  }

  private map(tensor: string, mapping: TensorMapping): void {
    this.mappings.set(tensor, mapping);
  }

  private shapeOf(nodeName: string): number[] {
    const shapes = inferShapes({ name: 'partial', nodes: this.nodes, inputs: [], outputs: [] });
    return shapes.get(nodeName)!;
  }

  private activation(name: string, node: OnnxNode): TensorMapping {
    const mapping = this.mappings.get(name);
    if (mapping) return mapping;
    if (this.constants.has(name)) throw new Error(`${this.describe(node)} reads the constant '${name}' where it needs a computed tensor; this pattern is not supported.`);
    throw new Error(`${this.describe(node)} reads '${name}', which no earlier node produces.`);
  }

  private constant(name: string | undefined, node: OnnxNode, role: string): OnnxTensor {
    const tensor = name ? this.constants.get(name) : undefined;
    if (!tensor) {
      throw new Error(`${this.describe(node)} needs its ${role} '${name ?? ''}' as an initializer or Constant; computed ${role}s are not supported.`);
    }
    return tensor;
  }

  private weight(tensor: OnnxTensor, shape: number[], values: Float32Array, layout: InitializerLayout): WeightTensor {
    if (this.initializerNames.has(tensor.name!)) this.initializers.set(tensor.name!, layout);
    return { shape, values, sourceName: tensor.name! };
  }

  private expectLayout(mapping: TensorMapping, allowed: TensorLayout[], node: OnnxNode, verb: string): void {
    if (!allowed.includes(mapping.layout)) {
      const described = { nchw: 'a 4-D [N, C, H, W] tensor', vector: 'a 2-D [N, C] tensor', pooled: 'a globally pooled [N, C, 1, 1] tensor', flattened: 'a flattened feature map' }[mapping.layout];
      throw new Error(`${this.describe(node)} ${verb} ${described}, which the workbench cannot represent there. Flatten or reshape it to [N, C] first.`);
    }
  }

  private onlyFirstOutputUsed(node: OnnxNode): void {
    const extra = (node.output ?? []).slice(1).find((output) => output && (this.consumerCounts.get(output) ?? 0) > 0);
    if (extra) throw new Error(`${this.describe(node)} has its extra output '${extra}' used; only the first output of this op is supported.`);
  }

  private addInput(graph: OnnxTypes.IGraphProto): string {
    const inputs = (graph.input ?? []).filter((input) => !this.initializerNames.has(input.name!));
    if (inputs.length !== 1) {
      throw new Error(`'${this.fileName}' has ${inputs.length} graph inputs (${inputs.map((input) => input.name).join(', ')}); only single-input models are supported.`);
    }
    const [input] = inputs;
    const tensorType = input.type?.tensorType;
    const dims = (tensorType?.shape?.dim ?? []).map((dim) => (dim.dimValue !== undefined && dim.dimValue !== null && int64ToNumber(dim.dimValue) > 0 ? int64ToNumber(dim.dimValue) : null));
    const [, channels, height, width] = dims;
    if (tensorType?.elemType !== onnx.TensorProto.DataType.FLOAT || dims.length !== 4 || !channels || !height || !width) {
      const shownDims = dims.map((dim) => dim ?? '?').join(', ');
      throw new Error(
        `Input '${input.name}' of '${this.fileName}' is [${shownDims}] (element type ${tensorType?.elemType}); the workbench feeds images, ` +
          'so the input must be float32 [N, C, H, W] with fixed C, H and W. Export the model with a fixed image size.',
      );
    }
    const name = this.uniqueName(input.name!);
    this.add({ op: 'Input', name, inputs: [], shape: [height, width, channels] });
    this.map(input.name!, { node: name, layout: 'nchw' });
    return name;
  }

  private outputNode(tensor: string): string {
    const mapping = this.mappings.get(tensor);
    if (!mapping) throw new Error(`Graph output '${tensor}' of '${this.fileName}' is not produced by any node.`);
    if (mapping.layout === 'flattened') {
      throw new Error(
        `Graph output '${tensor}' is a flattened feature map; the workbench flattens in H, W, C order and ONNX in C, H, W order, ` +
          'so this output cannot be reproduced. Add the classifier layer after the Flatten, or output the 4-D tensor.',
      );
    }
    return mapping.node;
  }

  // ---- Ops ----

  private convert(node: OnnxNode): void {
    if (node.domain && node.domain !== 'ai.onnx') {
      throw new Error(`${this.describe(node)} is from the custom domain '${node.domain}', which is not supported.`);
    }
    const names = (node.attribute ?? []).map((entry) => entry.name ?? '');
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) {
      // ONNX Runtime rejects such a model, so it is rejected here too instead of being pruned and written.
      throw new Error(`${this.describe(node)} sets attribute '${repeated}' more than once, which makes the model invalid ONNX; fix the exporter's output.`);
    }
    const op = node.opType ?? '';
    if (op in ELEMENTWISE_ACTIVATIONS) return this.elementwise(node, { op: 'Activation', activation: ELEMENTWISE_ACTIVATIONS[op] });
    if (op in FIXED_PARAMETER_ACTIVATIONS) return this.fixedParameterActivation(node, FIXED_PARAMETER_ACTIVATIONS[op]);
    switch (op) {
      case 'Constant':
        return this.constantNode(node);
      case 'Conv':
        return this.conv(node);
      case 'BatchNormalization':
        return this.batchNorm(node);
      case 'PRelu':
        return this.prelu(node);
      case 'LeakyRelu':
        return this.elementwise(node, { op: 'LeakyReLU', alpha: floatAttribute(node, 'alpha', 0.01) });
      case 'Clip':
        return this.clip(node);
      case 'Softmax':
      case 'LogSoftmax':
        return this.softmax(node);
      case 'Dropout':
      case 'Identity':
        this.onlyFirstOutputUsed(node);
        return this.passThrough(node);
      case 'MaxPool':
      case 'AveragePool':
        return this.pool(node);
      case 'GlobalAveragePool':
      case 'GlobalMaxPool':
        return this.globalPool(node);
      case 'Flatten':
        if (intAttribute(node, 'axis', 1) !== 1) throw new Error(`${this.describe(node)} has axis ${intAttribute(node, 'axis', 1)}; only axis 1 (keep the batch axis) is supported.`);
        return this.flatten(node, null);
      case 'Reshape':
        return this.reshape(node);
      case 'Gemm':
        return this.gemm(node);
      case 'MatMul':
        return this.matMul(node);
      case 'Add':
        return this.addOp(node);
      case 'Concat':
        return this.concat(node);
      case 'Pad':
        return this.pad(node);
      default:
        throw new Error(
          `${this.describe(node)}: the op ${op} is not supported by the ONNX importer. Supported ops: ${SUPPORTED_OPS.join(', ')}. ` +
            'Simplifying the model first (python -m onnxsim in.onnx out.onnx) folds many other ops away.',
        );
    }
  }

  private constantNode(node: OnnxNode): void {
    const value = attribute(node, 'value')?.t;
    if (!value) throw new Error(`${this.describe(node)} has no 'value' tensor; only Constant nodes with a tensor value are supported.`);
    assertInternalData(value, this.fileName);
    this.constants.set(node.output![0], { ...value, name: node.output![0] });
  }

  /** Adds a node that keeps the input's layout (activations, Identity). */
  private elementwise(node: OnnxNode, fields: Omit<GraphNode, 'name' | 'inputs'> & Partial<GraphNode>): void {
    const input = this.activation(node.input![0], node);
    const name = this.uniqueName(this.nodeName(node));
    this.add({ ...fields, name, inputs: [input.node] } as GraphNode);
    this.map(node.output![0], { ...input, node: name });
  }

  /** Identity or Dropout: an Identity node, or for a constant input (PyTorch writes shared weights so) another name for the same initializer. */
  private passThrough(node: OnnxNode): void {
    const source = node.input![0];
    if (this.constants.has(source) && !this.mappings.has(source)) {
      this.constants.set(node.output![0], this.constants.get(source)!);
      return;
    }
    this.elementwise(node, { op: 'Identity' });
  }

  private fixedParameterActivation(node: OnnxNode, spec: (typeof FIXED_PARAMETER_ACTIVATIONS)[string]): void {
    for (const [name, expected] of Object.entries(spec.floats)) {
      const value = floatAttribute(node, name, expected);
      if (Math.abs(value - expected) > 1e-6 * Math.abs(expected)) {
        throw new Error(`${this.describe(node)} has ${name} ${value}; only the default ${expected} is supported.`);
      }
    }
    for (const [name, expected] of Object.entries(spec.strings ?? {})) {
      const value = stringAttribute(node, name, expected);
      if (value !== expected) throw new Error(`${this.describe(node)} has ${name} '${value}'; only '${expected}' is supported.`);
    }
    this.elementwise(node, { op: 'Activation', activation: spec.activation });
  }

  /** PRelu with one slope per channel or one shared slope; the graph's alpha is [1, 1, C] or [1, 1, 1] on NHWC maps. */
  private prelu(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['nchw', 'vector'], node, 'reads');
    const slope = this.constant(node.input![1], node, 'slope');
    const dims = tensorDims(slope);
    const channels = this.shapeOf(input.node).at(-1)!;
    const values = decodeFloatTensor(slope);
    const channelAxis = input.layout === 'nchw' ? dims.length - 3 : dims.length - 1;
    const perChannel = values.length === channels && channelAxis >= 0 && dims[channelAxis] === channels;
    if (!perChannel && values.length !== 1) {
      throw new Error(`${this.describe(node)} has a slope of shape [${dims.join(', ')}]; only one slope per channel (${channels}) or one shared slope is supported.`);
    }
    const spatialOnes = input.layout === 'nchw' ? [1, 1] : [];
    const alpha = this.weight(slope, [...spatialOnes, values.length], values, { kind: 'channelVector', dims, channelAxis: perChannel ? channelAxis : 0, scale: 1 });
    const name = this.uniqueName(this.nodeName(node));
    this.add({ op: 'PReLU', name, inputs: [input.node], alpha });
    this.map(node.output![0], { ...input, node: name });
  }

  private clip(node: OnnxNode): void {
    const scalar = (index: number, role: string): number | null => {
      const name = node.input?.[index];
      if (!name) return null;
      const values = decodeFloatTensor(this.constant(name, node, role));
      if (values.length !== 1) throw new Error(`${this.describe(node)} has a ${role} with ${values.length} values; expected one.`);
      return values[0];
    };
    const min = this.opset < 11 ? floatAttribute(node, 'min', -Infinity) : scalar(1, 'min');
    const max = this.opset < 11 ? floatAttribute(node, 'max', Infinity) : scalar(2, 'max');
    if (min !== 0) {
      throw new Error(`${this.describe(node)} clips from ${min ?? '-infinity'}; only Clip with min 0 (a ReLU with an optional cap) is supported.`);
    }
    if (max === null || max === Infinity) return this.elementwise(node, { op: 'Activation', activation: 'relu' });
    if (max === 6) return this.elementwise(node, { op: 'Activation', activation: 'relu6' });
    this.elementwise(node, { op: 'ReLU', maxValue: max, negativeSlope: 0, threshold: 0 });
  }

  private softmax(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    const axis = intAttribute(node, 'axis', this.opset < 13 ? 1 : -1);
    const activation: ActivationName = node.opType === 'Softmax' ? 'softmax' : 'logSoftmax';
    const overChannels = input.layout === 'vector' ? axis === 1 || axis === -1 : input.layout === 'nchw' && this.opset >= 13 && (axis === 1 || axis === -3);
    if (!overChannels) {
      throw new Error(`${this.describe(node)} normalises over axis ${axis} of a ${input.layout} tensor (opset ${this.opset}); only the channel axis of [N, C] (or of [N, C, H, W] from opset 13) is supported.`);
    }
    this.elementwise(node, { op: 'Activation', activation });
  }

  /** Reads pads/auto_pad of a Conv or pool and maps them to 'valid', 'same' or explicit zero padding. */
  private spatialPadding(node: OnnxNode, inputShape: number[], kernel: number[], strides: number[], dilations: number[]): SpatialPadding {
    const autoPad = stringAttribute(node, 'auto_pad', 'NOTSET');
    const same = [0, 1].map((axis) => samePadding(inputShape[axis], kernel[axis], strides[axis], dilations[axis]));
    let pads: number[];
    switch (autoPad) {
      case 'SAME_UPPER':
        return { padding: 'same', explicit: null };
      case 'SAME_LOWER':
        pads = [same[0][1], same[1][1], same[0][0], same[1][0]];
        break;
      case 'VALID':
        pads = [0, 0, 0, 0];
        break;
      case 'NOTSET':
        pads = intsAttribute(node, 'pads') ?? [0, 0, 0, 0];
        break;
      default:
        throw new Error(`${this.describe(node)} has auto_pad '${autoPad}'; expected NOTSET, VALID, SAME_UPPER or SAME_LOWER.`);
    }
    if (pads.length !== 4) throw new Error(`${this.describe(node)} has pads [${pads.join(', ')}]; only 2-D spatial padding (4 values) is supported.`);
    const [top, left, bottom, right] = pads;
    if (pads.every((pad) => pad === 0)) return { padding: 'valid', explicit: null };
    if (top === same[0][0] && bottom === same[0][1] && left === same[1][0] && right === same[1][1]) return { padding: 'same', explicit: null };
    return { padding: 'valid', explicit: [[top, bottom], [left, right]] };
  }

  /** Inserts a ZeroPadding2D node in front of a layer and returns the node the layer should read. */
  private zeroPad(input: string, layerName: string, padding: [[number, number], [number, number]]): string {
    const name = this.uniqueName(`${layerName}/pad`);
    this.add({ op: 'ZeroPadding2D', name, inputs: [input], padding });
    return name;
  }

  private spatialAttributes(node: OnnxNode, name: string, fallback: number[]): [number, number] {
    const values = intsAttribute(node, name) ?? fallback;
    if (values.length !== 2) throw new Error(`${this.describe(node)} has ${name} [${values.join(', ')}]; only 2-D operations are supported.`);
    return [values[0], values[1]];
  }

  private conv(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['nchw'], node, 'reads');
    const weightTensor = this.constant(node.input![1], node, 'weight');
    const dims = tensorDims(weightTensor);
    if (dims.length !== 4) throw new Error(`${this.describe(node)} has a weight of shape [${dims.join(', ')}]; only 2-D convolutions are supported.`);
    const [outChannels, inPerGroup, kh, kw] = dims;
    const inputShape = this.shapeOf(input.node);
    const inChannels = inputShape[2];
    const group = intAttribute(node, 'group', 1);
    const strides = this.spatialAttributes(node, 'strides', [1, 1]);
    const dilation = this.spatialAttributes(node, 'dilations', [1, 1]);
    if (strides.some((stride) => stride > 1) && dilation.some((d) => d > 1)) {
      throw new Error(`${this.describe(node)} has strides [${strides.join(', ')}] and dilations [${dilation.join(', ')}]; TensorFlow.js, which runs the workbench, cannot combine a stride and a dilation above 1.`);
    }
    const { padding, explicit } = this.spatialPadding(node, inputShape, [kh, kw], strides, dilation);

    const name = this.uniqueName(this.nodeName(node));
    const source = explicit ? this.zeroPad(input.node, name, explicit) : input.node;
    const values = decodeFloatTensor(weightTensor);
    const biasTensor = node.input![2] ? this.constant(node.input![2], node, 'bias') : null;
    const bias = biasTensor && this.weight(biasTensor, [outChannels], decodeFloatTensor(biasTensor), { kind: 'channelVector', dims: tensorDims(biasTensor), channelAxis: 0, scale: 1 });

    const common = { name, inputs: [source], kernelSize: [kh, kw] as [number, number], strides, dilation, padding, activation: 'linear' as const, bias };
    if (group === 1) {
      const kernel = this.weight(weightTensor, [kh, kw, inPerGroup, outChannels], oihwToHwio(values, dims), { kind: 'convKernel' });
      this.add({ op: 'Conv2D', ...common, filters: outChannels, kernel });
    } else if (group === inChannels && inPerGroup === 1 && outChannels % inChannels === 0) {
      // [C * m, 1, kh, kw] and [kh, kw, C, m] share the order of (c, m) pairs, so this is the same transpose with I = 1.
      const multiplier = outChannels / inChannels;
      const kernel = this.weight(weightTensor, [kh, kw, inChannels, multiplier], oihwToHwio(values, dims), { kind: 'depthwiseKernel' });
      this.add({ op: 'DepthwiseConv2D', ...common, depthMultiplier: multiplier, kernel });
    } else {
      throw new Error(`${this.describe(node)} has group ${group} with ${inChannels} input channels; only group 1 and depthwise (group = input channels) convolutions are supported.`);
    }
    this.map(node.output![0], { node: name, layout: 'nchw' });
  }

  private batchNorm(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['nchw', 'vector', 'pooled'], node, 'normalises');
    if (intAttribute(node, 'training_mode', 0) !== 0) throw new Error(`${this.describe(node)} is in training mode; export the model in eval mode (model.eval()).`);
    if (this.opset < 9 && intAttribute(node, 'spatial', 1) !== 1) {
      throw new Error(`${this.describe(node)} has spatial 0 (one statistic per element); only per-channel BatchNormalization is supported.`);
    }
    this.onlyFirstOutputUsed(node);
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((index) => {
      const tensor = this.constant(node.input![index], node, ['scale', 'bias', 'mean', 'variance'][index - 1]);
      const values = decodeFloatTensor(tensor);
      return this.weight(tensor, [values.length], values, { kind: 'channelVector', dims: tensorDims(tensor), channelAxis: 0, scale: 1 });
    });
    const name = this.uniqueName(this.nodeName(node));
    const epsilon = floatAttribute(node, 'epsilon', 1e-5);
    this.add({ op: 'BatchNorm', name, inputs: [input.node], epsilon, gamma: scale, beta: bias, movingMean: mean, movingVariance: variance });
    this.map(node.output![0], { ...input, node: name });
  }

  private pool(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['nchw'], node, 'pools');
    this.onlyFirstOutputUsed(node);
    const poolSize = this.spatialAttributes(node, 'kernel_shape', []);
    const strides = this.spatialAttributes(node, 'strides', [1, 1]);
    const dilations = this.spatialAttributes(node, 'dilations', [1, 1]);
    if (dilations.some((d) => d !== 1)) throw new Error(`${this.describe(node)} has dilations [${dilations.join(', ')}]; dilated pooling is not supported.`);
    const inputShape = this.shapeOf(input.node);
    const { padding, explicit } = this.spatialPadding(node, inputShape, poolSize, strides, [1, 1]);
    const isAverage = node.opType === 'AveragePool';
    const includePad = isAverage && intAttribute(node, 'count_include_pad', 0) === 1;
    if (intAttribute(node, 'ceil_mode', 0) === 1) this.checkCeilMode(node, inputShape, poolSize, strides, explicit, padding);
    const name = this.uniqueName(this.nodeName(node));
    let source = input.node;
    let layerPadding = padding;
    if (explicit || (includePad && padding === 'same')) {
      if (!includePad) {
        throw new Error(
          `${this.describe(node)} pads [${intsAttribute(node, 'pads')?.join(', ') ?? stringAttribute(node, 'auto_pad', '')}], which is neither none nor TensorFlow 'same'; ` +
            'the workbench can pad pooling only that way. Re-export with symmetric same padding or no padding.',
        );
      }
      // Averages that count the padded zeros equal a zero padding followed by a 'valid' average.
      const pads = explicit ?? ([0, 1].map((axis) => samePadding(inputShape[axis], poolSize[axis], strides[axis], 1)) as [[number, number], [number, number]]);
      source = this.zeroPad(input.node, name, pads);
      layerPadding = 'valid';
    }
    this.add({ op: isAverage ? 'AvgPool2D' : 'MaxPool2D', name, inputs: [source], poolSize, strides, padding: layerPadding });
    this.map(node.output![0], { node: name, layout: 'nchw' });
  }

  /** ceil_mode is representable only when it gives the same output size as floor. */
  private checkCeilMode(node: OnnxNode, inputShape: number[], kernel: number[], strides: number[], explicit: SpatialPadding['explicit'], padding: Padding): void {
    if (padding === 'same' && !explicit) return;
    const padded = [0, 1].map((axis) => inputShape[axis] + (explicit ? explicit[axis][0] + explicit[axis][1] : 0));
    const differs = [0, 1].some((axis) => (padded[axis] - kernel[axis]) % strides[axis] !== 0);
    if (differs) throw new Error(`${this.describe(node)} has ceil_mode 1, which here adds a partial window; only floor rounding is supported. Re-export with ceil_mode=False.`);
  }

  private globalPool(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['nchw'], node, 'pools');
    const name = this.uniqueName(this.nodeName(node));
    this.add({ op: node.opType === 'GlobalAveragePool' ? 'GlobalAvgPool' : 'GlobalMaxPool', name, inputs: [input.node] });
    this.map(node.output![0], { node: name, layout: 'pooled' });
  }

  /** Flatten or a flatten-like Reshape: a graph Flatten for multi-pixel maps, an Identity where the order already agrees. */
  private flatten(node: OnnxNode, shapeTensor: { tensor: OnnxTensor; lengthIndex: number | null } | null): void {
    const input = this.activation(node.input![0], node);
    const name = this.uniqueName(this.nodeName(node));
    const inputShape = this.shapeOf(input.node);
    if (input.layout === 'nchw') {
      this.add({ op: 'Flatten', name, inputs: [input.node] });
      // A 1x1 map flattens to the same order in both layouts.
      const multiPixel = inputShape[0] * inputShape[1] > 1;
      this.map(node.output![0], multiPixel ? { node: name, layout: 'flattened', flatten: name } : { node: name, layout: 'vector' });
    } else {
      this.add({ op: 'Identity', name, inputs: [input.node] });
      this.map(node.output![0], { ...input, node: name, layout: input.layout === 'pooled' ? 'vector' : input.layout });
    }
    if (shapeTensor && shapeTensor.lengthIndex !== null) {
      const inInitializers = this.initializerNames.has(shapeTensor.tensor.name!);
      this.reshapeShapes.push({ tensor: shapeTensor.tensor.name!, node: name, lengthIndex: shapeTensor.lengthIndex, reshape: this.nodeName(node), inInitializers });
    }
  }

  private reshape(node: OnnxNode): void {
    if (this.opset < 5) throw new Error(`${this.describe(node)} uses the opset-${this.opset} shape attribute; only Reshape with a shape input (opset 5 and later) is supported.`);
    const input = this.activation(node.input![0], node);
    const shapeTensor = this.constant(node.input![1], node, 'shape');
    const target = decodeIntTensor(shapeTensor);
    const shape = this.shapeOf(input.node);
    const length = product(shape);
    const flattenLike = target.length === 2 && [0, 1, -1].includes(target[0]) && (target[1] === -1 || target[1] === length) && !(target[0] === -1 && target[1] === -1);
    if (!flattenLike) {
      throw new Error(
        `${this.describe(node)} reshapes [N, ${shape.join(', ')}] (workbench layout) to [${target.join(', ')}]; only flattening to [N, -1], [0, -1], [1, ${length}] or [-1, ${length}] is supported.`,
      );
    }
    this.flatten(node, { tensor: shapeTensor, lengthIndex: target[1] === length && target[1] !== -1 ? 1 : null });
  }

  /** Builds a Dense kernel [in, units] from an ONNX B, permuting rows when the input was flattened from a multi-pixel map. */
  private denseKernel(node: OnnxNode, input: TensorMapping, tensor: OnnxTensor, transposed: boolean, scale: number): WeightTensor {
    const dims = tensorDims(tensor);
    if (dims.length !== 2) throw new Error(`${this.describe(node)} has a weight of shape [${dims.join(', ')}]; expected a matrix.`);
    const [inUnits, units] = transposed ? [dims[1], dims[0]] : dims;
    const source = decodeFloatTensor(tensor);
    const inputLength = product(this.shapeOf(input.node));
    if (inputLength !== inUnits) throw new Error(`${this.describe(node)} multiplies ${inputLength} features by a weight for ${inUnits}.`);
    const flattenedShape = input.layout === 'flattened' ? this.shapeOf(this.nodes.find((n) => n.name === input.flatten)!.inputs[0]) : null;
    const values = denseFromOnnx(source, { inUnits, units, transposed, scale, flattenedShape });
    const flatten = input.layout === 'flattened' ? input.flatten! : null;
    return this.weight(tensor, [inUnits, units], values, { kind: 'denseKernel', transposed, scale, flatten });
  }

  private gemm(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['vector', 'flattened'], node, 'multiplies');
    if (intAttribute(node, 'transA', 0) !== 0) throw new Error(`${this.describe(node)} has transA 1; only transA 0 (batch along rows) is supported.`);
    const alpha = floatAttribute(node, 'alpha', 1);
    const beta = floatAttribute(node, 'beta', 1);
    const kernel = this.denseKernel(node, input, this.constant(node.input![1], node, 'weight'), intAttribute(node, 'transB', 0) === 1, alpha);
    const units = kernel.shape[1];
    let bias: WeightTensor | null = null;
    if (node.input![2]) {
      const tensor = this.constant(node.input![2], node, 'bias');
      const dims = tensorDims(tensor);
      if (product(dims) !== units || dims.length > 2 || (dims.length === 2 && dims[0] !== 1)) {
        throw new Error(`${this.describe(node)} has a bias C of shape [${dims.join(', ')}]; expected [${units}] or [1, ${units}].`);
      }
      const values = decodeFloatTensor(tensor).map((value) => value * beta);
      bias = this.weight(tensor, [units], values, { kind: 'channelVector', dims, channelAxis: dims.length - 1, scale: beta });
    }
    const name = this.uniqueName(this.nodeName(node));
    this.add({ op: 'Dense', name, inputs: [input.node], units, activation: 'linear', kernel, bias });
    this.map(node.output![0], { node: name, layout: 'vector' });
  }

  private matMul(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['vector', 'flattened'], node, 'multiplies');
    const kernel = this.denseKernel(node, input, this.constant(node.input![1], node, 'weight'), false, 1);
    const name = this.uniqueName(this.nodeName(node));
    this.add({ op: 'Dense', name, inputs: [input.node], units: kernel.shape[1], activation: 'linear', kernel, bias: null });
    this.map(node.output![0], { node: name, layout: 'vector' });
  }

  private addOp(node: OnnxNode): void {
    const [a, b] = node.input!;
    const constantName = [a, b].find((name) => this.constants.has(name) && !this.mappings.has(name));
    if (constantName !== undefined) return this.foldBias(node, [a, b].find((name) => name !== constantName) ?? a, this.constants.get(constantName)!);
    const inputs = [a, b].map((name) => this.activation(name, node));
    if (inputs[0].layout !== inputs[1].layout || inputs[0].layout === 'flattened') {
      throw new Error(`${this.describe(node)} adds a ${inputs[0].layout} tensor and a ${inputs[1].layout} tensor; only sums of two [N, C, H, W] or two [N, C] tensors are supported.`);
    }
    const name = this.uniqueName(this.nodeName(node));
    this.add({ op: 'Add', name, inputs: inputs.map((input) => input.node) });
    this.map(node.output![0], { ...inputs[0], node: name });
  }

  /** Folds `x + constant` into the bias of the Conv or Dense that produced x (bias written as a separate Add). */
  private foldBias(node: OnnxNode, tensorName: string, constant: OnnxTensor): void {
    const input = this.activation(tensorName, node);
    const producer = this.nodes.find((candidate) => candidate.name === input.node);
    const dims = tensorDims(constant);
    const foldable = producer && (producer.op === 'Conv2D' || producer.op === 'DepthwiseConv2D' || producer.op === 'Dense') && producer.bias === null;
    const soleReader = this.consumerCounts.get(tensorName) === 1;
    const channels = this.shapeOf(input.node).at(-1)!;
    const shapeFits =
      input.layout === 'nchw'
        ? (dims.length === 3 || (dims.length === 4 && dims[0] === 1)) && dims.at(-3) === channels && dims.at(-1) === 1 && dims.at(-2) === 1
        : input.layout === 'vector' && (dims.length === 1 || (dims.length === 2 && dims[0] === 1)) && dims.at(-1) === channels;
    if (!foldable || !soleReader || !shapeFits) {
      throw new Error(
        `${this.describe(node)} adds the constant '${constant.name}' of shape [${dims.join(', ')}] to '${tensorName}'; only a per-channel bias ` +
          `([C, 1, 1] or [1, C, 1, 1] after a Conv, [C] or [1, C] after Gemm/MatMul) added to the sole output of a layer without its own bias is supported.`,
      );
    }
    const channelAxis = input.layout === 'nchw' ? dims.length - 3 : dims.length - 1;
    const bias = this.weight(constant, [channels], decodeFloatTensor(constant), { kind: 'channelVector', dims, channelAxis, scale: 1 });
    const index = this.nodes.indexOf(producer!);
    this.nodes[index] = { ...producer!, bias } as GraphNode;
    this.map(node.output![0], input);
  }

  private concat(node: OnnxNode): void {
    const inputs = node.input!.map((name) => this.activation(name, node));
    const axis = intAttribute(node, 'axis', 1);
    const layout = inputs[0].layout;
    const channelAxis = layout === 'nchw' ? axis === 1 || axis === -3 : (layout === 'vector' && axis === -1) || ((layout === 'vector' || layout === 'pooled') && axis === 1);
    if (!channelAxis || inputs.some((input) => input.layout !== layout)) {
      throw new Error(`${this.describe(node)} concatenates ${inputs.map((input) => input.layout).join(', ')} tensors on axis ${axis}; only the channel axis 1 is supported.`);
    }
    const name = this.uniqueName(this.nodeName(node));
    this.add({ op: 'Concatenate', name, inputs: inputs.map((input) => input.node) });
    this.map(node.output![0], { node: name, layout });
  }

  private pad(node: OnnxNode): void {
    const input = this.activation(node.input![0], node);
    this.expectLayout(input, ['nchw'], node, 'pads');
    const mode = stringAttribute(node, 'mode', 'constant');
    let pads: number[];
    let value = 0;
    if (this.opset < 11) {
      pads = intsAttribute(node, 'pads') ?? [];
      value = floatAttribute(node, 'value', 0);
    } else {
      pads = decodeIntTensor(this.constant(node.input![1], node, 'pads'));
      if (node.input![2]) value = decodeFloatTensor(this.constant(node.input![2], node, 'constant value'))[0] ?? 0;
      if (node.input![3]) throw new Error(`${this.describe(node)} has an axes input; only Pad over all four axes is supported.`);
    }
    const [nBegin, cBegin, top, left, nEnd, cEnd, bottom, right] = pads;
    if (mode !== 'constant' || value !== 0 || pads.length !== 8 || nBegin || cBegin || nEnd || cEnd || pads.some((pad) => pad < 0)) {
      throw new Error(`${this.describe(node)} pads [${pads.join(', ')}] in mode '${mode}' with value ${value}; only zero padding of height and width is supported.`);
    }
    const name = this.uniqueName(this.nodeName(node));
    this.add({ op: 'ZeroPadding2D', name, inputs: [input.node], padding: [[top, bottom], [left, right]] });
    this.map(node.output![0], { node: name, layout: 'nchw' });
  }
}
