import { consumersByNode, getNode } from '../graph/graphQueries';
import type { ShapeMap } from '../graph/shapes';
import { inferShapes } from '../graph/shapes';
import type { ActivationName, GraphNode, ModelGraph } from '../graph/types';
import type { ChannelReader, PrunableLayer } from './prunableLayers';

/** Softmax and log-softmax normalise over the channel axis, so every output channel depends on all of them. */
function mixesChannels(activation: ActivationName): boolean {
  return activation === 'softmax' || activation === 'logSoftmax';
}

/** Ops that carry channel j to channel j and commute with removing a channel. */
export function isChannelWise(node: GraphNode, shapes: ShapeMap): boolean {
  switch (node.op) {
    case 'Reshape': {
      // A reshape that keeps the last axis, such as [H, W, C] -> [H * W, C], only moves positions.
      const input = shapes.get(node.inputs[0])!;
      return node.targetShape[node.targetShape.length - 1] === input[input.length - 1];
    }
    case 'Activation':
      return !mixesChannels(node.activation);
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

export interface TraceResult {
  writers: string[];
  group: PrunableLayer | null;
  reason: string | null;
}

interface PendingMember {
  name: string;
  /** Group channel carried by each channel of the node's output. */
  channelMap: number[];
}

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

/**
 * Collects the channel group of one Conv2D. Its members are the tensors that
 * carry its channels: through channel-wise layers, through Add into a residual
 * stream, and through Concatenate, which lays several members side by side.
 * The group also lists every Conv2D that writes those channels and every
 * linear layer that reads them. Each member records which group channel each
 * of its channels carries.
 */
export class ChannelGroupTracer {
  private readonly consumers: Map<string, string[]>;
  private readonly shapes: ShapeMap;
  private readonly channelMaps = new Map<string, number[]>();
  private readonly writers: string[] = [];
  private readonly path: string[] = [];
  private readonly readers: ChannelReader[] = [];
  /** Number of group channels allocated so far; new branches of a Concatenate get the next ones. */
  private groupChannels = 0;
  private reason: string | null = null;

  /** `consumers` and `shapes` default to being computed from the graph; pass them when tracing many groups of one graph. */
  constructor(
    private readonly graph: ModelGraph,
    consumers: Map<string, string[]> = consumersByNode(graph),
    shapes: ShapeMap = inferShapes(graph),
  ) {
    this.consumers = consumers;
    this.shapes = shapes;
  }

  trace(start: string): TraceResult {
    const pending: PendingMember[] = [{ name: start, channelMap: this.allocate(this.channelsOf(start)) }];
    while (pending.length > 0 && this.reason === null) {
      const { name, channelMap } = pending.pop()!;
      const known = this.channelMaps.get(name);
      if (known !== undefined) {
        if (known.join() !== channelMap.join()) this.block(`the channels of '${name}' reach the same layer in two different orders.`);
        continue;
      }
      this.channelMaps.set(name, channelMap);
      this.visit(getNode(this.graph, name), channelMap, pending);
    }
    const writers = this.inGraphOrder(this.writers);
    if (this.reason === null && this.readers.length === 0) this.reason = 'no linear layer reads its channels.';
    const group = this.reason === null ? this.buildGroup(writers) : null;
    return { writers, group, reason: this.reason };
  }

  private allocate(count: number): number[] {
    const channels = range(this.groupChannels, count);
    this.groupChannels += count;
    return channels;
  }

  private inGraphOrder(names: string[]): string[] {
    return this.graph.nodes.filter((node) => names.includes(node.name)).map((node) => node.name);
  }

  private channelsOf(name: string): number {
    const shape = this.shapes.get(name)!;
    return shape[shape.length - 1];
  }

  /** Checks that every reader sees every group channel, then assembles the group. */
  private buildGroup(writers: string[]): PrunableLayer | null {
    const total = this.groupChannels;
    for (const { consumer, channelMap } of this.readers) {
      if (new Set(channelMap).size !== total) {
        this.block(`'${consumer}' reads only part of the channels joined by Concatenate.`);
        return null;
      }
    }
    const channelMaps = Object.fromEntries([...writers, ...this.path].map((name) => [name, this.channelMaps.get(name)!]));
    return { producer: writers[0], channels: total, writers, path: this.inGraphOrder(this.path), readers: this.readers, channelMaps, ...this.readers[0] };
  }

  private block(reason: string): void {
    this.reason ??= reason;
  }

  /** Classifies one member tensor: who writes it (looking back) and who reads it (looking forward). */
  private visit(node: GraphNode, channelMap: number[], pending: PendingMember[]): void {
    if (node.op === 'Conv2D') this.writers.push(node.name);
    if (this.graph.outputs.includes(node.name)) {
      this.block(node.op === 'Conv2D' ? `'${node.name}' is a model output.` : `its channels reach the model output '${node.name}'.`);
      return;
    }
    if (node.op === 'Conv2D') {
      if (mixesChannels(node.activation)) this.block(`'${node.name}' has a ${node.activation} activation, which mixes channels.`);
    } else if (node.op === 'Concatenate') {
      this.path.push(node.name);
      this.splitConcatenation(node, channelMap).forEach((member) => pending.push(member));
    } else if (isChannelWise(node, this.shapes) || node.op === 'Add') {
      this.path.push(node.name);
      pending.push(...node.inputs.map((input) => ({ name: input, channelMap })));
    } else {
      this.block(`its channels also come from '${node.name}' (${node.op}), which cannot be pruned with them.`);
      return;
    }
    for (const readerName of this.consumers.get(node.name) ?? []) this.visitReader(node, channelMap, getNode(this.graph, readerName), pending);
  }

  /** Cuts a Concatenate's output map into its inputs' maps. */
  private splitConcatenation(node: GraphNode, channelMap: number[]): PendingMember[] {
    let position = 0;
    return node.inputs.map((input) => {
      const width = this.channelsOf(input);
      const member = { name: input, channelMap: channelMap.slice(position, position + width) };
      position += width;
      return member;
    });
  }

  /** Builds a Concatenate's output map from one input's map; inputs not yet in the group get new group channels. */
  private joinConcatenation(node: GraphNode, source: string, sourceMap: number[]): number[] {
    const assigned = new Map<string, number[]>([[source, sourceMap]]);
    return node.inputs.flatMap((input) => {
      const known = assigned.get(input) ?? this.channelMaps.get(input) ?? this.allocate(this.channelsOf(input));
      assigned.set(input, known);
      return known;
    });
  }

  private visitReader(source: GraphNode, channelMap: number[], reader: GraphNode, pending: PendingMember[]): void {
    if (isLinearReader(reader)) {
      const tap = this.tapBeforeAveraging(source);
      const kind = reader.op === 'Conv2D' ? 'conv2d' : 'dense';
      const positions = reader.op === 'Conv2D' ? reader.kernelSize[0] * reader.kernelSize[1] : 1;
      this.readers.push({ tap, consumer: reader.name, consumerKind: kind, kernelPositions: positions, channelMap });
    } else if (reader.op === 'Flatten') {
      this.visitFlatten(source, channelMap, reader);
    } else if (reader.op === 'Concatenate') {
      pending.push({ name: reader.name, channelMap: this.joinConcatenation(reader, source.name, channelMap) });
    } else if (isChannelWise(reader, this.shapes) || reader.op === 'Add') {
      pending.push({ name: reader.name, channelMap });
    } else {
      this.block(unsupportedReaderReason(reader));
    }
  }

  private visitFlatten(source: GraphNode, channelMap: number[], flatten: GraphNode): void {
    const denseNames = this.consumers.get(flatten.name) ?? [];
    const dense = denseNames.length === 1 ? getNode(this.graph, denseNames[0]) : null;
    if (!dense || dense.op !== 'Dense' || this.graph.outputs.includes(flatten.name)) {
      this.block(`'${flatten.name}' (Flatten) must feed exactly one Dense layer.`);
      return;
    }
    const shape = this.shapes.get(source.name)!;
    const positions = shape.slice(0, -1).reduce((product, size) => product * size, 1);
    const tap = this.tapBeforeAveraging(source);
    this.readers.push({ tap, consumer: dense.name, consumerKind: 'flattenDense', kernelPositions: positions, channelMap });
  }

  /**
   * Moves a tap back past average pooling. Averaging is linear, so a dependency
   * among the maps before it is also one after it, and those maps have more rows
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
