import { consumersByNode, getNode } from '../graph/graphQueries';
import { inferShapes, type ShapeMap } from '../graph/shapes';
import type { Conv2DNode, GraphNode, ModelGraph } from '../graph/types';

/**
 * How the consumer's kernel indexes the producer's channels. For all three the
 * kernel is viewed as [positions, inChannels, outChannels]. A conv kernel
 * [kh, kw, in, out] has kh*kw positions. A Dense after Flatten has H*W
 * positions, because channels-last flattening puts channel c of pixel p at row
 * p*C + c. A Dense on channel vectors has one position.
 */
export type ConsumerKind = 'conv2d' | 'flattenDense' | 'dense';

/** A linear layer that reads a group's channels and absorbs the recovery. */
export interface ChannelReader {
  /** Node whose output is measured: the tensor the consumer reads (before Flatten or global average pooling). */
  tap: string;
  consumer: string;
  consumerKind: ConsumerKind;
  /** Positions per input channel in the consumer's kernel (see ConsumerKind). */
  kernelPositions: number;
}

/**
 * A set of channels that can only be pruned together: the outputs of one
 * Conv2D, or of every Conv2D writing into one residual stream (joined by Add).
 * The `tap`, `consumer`, `consumerKind` and `kernelPositions` fields repeat the
 * first reader, which is the only one in a plain chain.
 */
export interface PrunableLayer extends ChannelReader {
  /** The first Conv2D of the group, which names it. */
  producer: string;
  channels: number;
  /** Every Conv2D whose output channels are the group's channels, in graph order. */
  writers: string[];
  /** Channel-wise nodes and Adds inside the group; their per-channel weights (BatchNorm, depthwise kernel, PReLU alpha) are sliced with the writers. */
  path: string[];
  /** Every linear layer that reads the group's channels; the dependency must hold at every tap. */
  readers: ChannelReader[];
}

export interface BlockedLayer {
  layer: string;
  reason: string;
}

export interface PrunabilityReport {
  prunable: PrunableLayer[];
  blocked: BlockedLayer[];
}

/** Ops that carry channel j to channel j and commute with removing a channel. */
function isChannelWise(node: GraphNode, shapes: ShapeMap): boolean {
  switch (node.op) {
    case 'Reshape': {
      // A reshape that keeps the last axis, such as [H, W, C] -> [H * W, C], only moves positions.
      const input = shapes.get(node.inputs[0])!;
      return node.targetShape[node.targetShape.length - 1] === input[input.length - 1];
    }
    case 'Activation':
      return node.activation !== 'softmax';
    case 'DepthwiseConv2D':
      // Each output channel reads only its own input channel, so the tap moves past it and its kernel is sliced.
      return node.depthMultiplier === 1;
    case 'ReLU':
    case 'LeakyReLU':
    case 'PReLU':
    case 'MaxPool2D':
    case 'AvgPool2D':
    case 'ZeroPadding2D':
    case 'BatchNorm':
    case 'Identity':
    case 'GlobalAvgPool':
    case 'GlobalMaxPool':
      return true;
    default:
      return false;
  }
}

function unsupportedReaderReason(reader: GraphNode): string {
  const where = `'${reader.name}' (${reader.op})`;
  switch (reader.op) {
    case 'Concatenate':
      return `its channels reach ${where}; channels joined by Concatenate are not prunable yet.`;
    case 'DepthwiseConv2D':
      return `its channels reach ${where} with depth multiplier ${reader.depthMultiplier}; only multiplier 1 is supported.`;
    case 'SeparableConv2D':
      return `its channels reach ${where}; a separable convolution as consumer is not supported yet.`;
    case 'Reshape':
      return `its channels reach ${where}, which changes the channel axis.`;
    case 'KerasLayer':
      return `its channels reach '${reader.name}' (${reader.className}), which TensorFlow.js runs but the channel analysis does not cover.`;
    default:
      return `its channels reach ${where}, which mixes channels non-linearly.`;
  }
}

/** Linear layers that absorb the recovery: their kernels are rewritten, not sliced along their outputs. */
function isLinearReader(node: GraphNode): node is GraphNode & { op: 'Conv2D' | 'Dense' } {
  return node.op === 'Conv2D' || node.op === 'Dense';
}

/** Lists every Conv2D whose filters can be removed with signal recovery, and every other one with the reason. */
export function findPrunableLayers(graph: ModelGraph): PrunabilityReport {
  const report: PrunabilityReport = { prunable: [], blocked: [] };
  const assigned = new Set<string>();
  for (const node of graph.nodes) {
    if (node.op !== 'Conv2D' || assigned.has(node.name)) continue;
    const traced = new ChannelGroupTracer(graph).trace(node.name);
    traced.writers.forEach((writer) => assigned.add(writer));
    if (traced.reason !== null) {
      report.blocked.push(...traced.writers.map((writer) => ({ layer: writer, reason: traced.reason! })));
    } else {
      report.prunable.push(traced.group!);
    }
  }
  return report;
}

interface TraceResult {
  writers: string[];
  group: PrunableLayer | null;
  reason: string | null;
}

/**
 * Collects the channel group of one Conv2D: every tensor that carries its
 * channels one to one (through channel-wise layers, and through Add into a
 * residual stream with every other layer writing into that stream), every
 * layer that writes those channels, and every linear layer that reads them.
 */
class ChannelGroupTracer {
  private readonly consumers: Map<string, string[]>;
  private readonly shapes: ShapeMap;
  private readonly members = new Set<string>();
  private readonly writers: string[] = [];
  private readonly path: string[] = [];
  private readonly readers: ChannelReader[] = [];
  private reason: string | null = null;

  constructor(private readonly graph: ModelGraph) {
    this.consumers = consumersByNode(graph);
    this.shapes = inferShapes(graph);
  }

  trace(start: string): TraceResult {
    const pending = [start];
    while (pending.length > 0 && this.reason === null) {
      const name = pending.pop()!;
      if (this.members.has(name)) continue;
      this.members.add(name);
      this.visit(getNode(this.graph, name), pending);
    }
    const writers = this.graph.nodes.filter((node) => this.writers.includes(node.name)).map((node) => node.name);
    if (this.reason === null && this.readers.length === 0) this.reason = 'no linear layer reads its channels.';
    if (this.reason !== null) return { writers, group: null, reason: this.reason };
    const first = getNode(this.graph, writers[0]) as Conv2DNode;
    const primary = this.readers[0];
    return {
      writers,
      reason: null,
      group: { producer: first.name, channels: first.filters, writers, path: this.orderedPath(), readers: this.readers, ...primary },
    };
  }

  private orderedPath(): string[] {
    return this.graph.nodes.filter((node) => this.path.includes(node.name)).map((node) => node.name);
  }

  private block(reason: string): void {
    this.reason ??= reason;
  }

  /** Classifies one member tensor: who writes it (looking back) and who reads it (looking forward). */
  private visit(node: GraphNode, pending: string[]): void {
    if (node.op === 'Conv2D') this.writers.push(node.name);
    if (this.graph.outputs.includes(node.name)) {
      this.block(node.op === 'Conv2D' ? `'${node.name}' is a model output.` : `its channels reach the model output '${node.name}'.`);
      return;
    }
    if (node.op === 'Conv2D') {
      if (node.activation === 'softmax') this.block(`'${node.name}' has a softmax activation, which mixes channels.`);
    } else if (isChannelWise(node, this.shapes) || node.op === 'Add') {
      this.path.push(node.name);
      pending.push(...node.inputs);
    } else {
      this.block(`its channels also come from '${node.name}' (${node.op}), which cannot be pruned with them.`);
      return;
    }
    for (const readerName of this.consumers.get(node.name) ?? []) this.visitReader(node, getNode(this.graph, readerName), pending);
  }

  private visitReader(source: GraphNode, reader: GraphNode, pending: string[]): void {
    if (isLinearReader(reader)) {
      const tap = this.tapBeforeAveraging(source);
      const kind = reader.op === 'Conv2D' ? 'conv2d' : 'dense';
      const positions = reader.op === 'Conv2D' ? reader.kernelSize[0] * reader.kernelSize[1] : 1;
      this.readers.push({ tap, consumer: reader.name, consumerKind: kind, kernelPositions: positions });
    } else if (reader.op === 'Flatten') {
      this.visitFlatten(source, reader);
    } else if (isChannelWise(reader, this.shapes) || reader.op === 'Add') {
      pending.push(reader.name);
    } else {
      this.block(unsupportedReaderReason(reader));
    }
  }

  private visitFlatten(source: GraphNode, flatten: GraphNode): void {
    const denseNames = this.consumers.get(flatten.name) ?? [];
    const dense = denseNames.length === 1 ? getNode(this.graph, denseNames[0]) : null;
    if (!dense || dense.op !== 'Dense' || this.graph.outputs.includes(flatten.name)) {
      this.block(`'${flatten.name}' (Flatten) must feed exactly one Dense layer.`);
      return;
    }
    const shape = this.shapes.get(source.name)!;
    const positions = shape.slice(0, -1).reduce((product, size) => product * size, 1);
    this.readers.push({ tap: this.tapBeforeAveraging(source), consumer: dense.name, consumerKind: 'flattenDense', kernelPositions: positions });
  }

  /**
   * Moves a tap back past average pooling. Averaging is linear, so a dependency
   * among the maps before it holds after it too, and those maps have more rows
   * (a global average leaves one row per image).
   */
  private tapBeforeAveraging(source: GraphNode): string {
    let node = source;
    while ((node.op === 'GlobalAvgPool' || node.op === 'AvgPool2D') && (this.consumers.get(node.inputs[0]) ?? []).length === 1) {
      node = getNode(this.graph, node.inputs[0]);
    }
    return node.name;
  }
}
