import { consumersByNode, getNode } from '../graph/graphQueries';
import type { ShapeMap } from '../graph/shapes';
import { inferShapes } from '../graph/shapes';
import type { GraphNode, ModelGraph } from '../graph/types';
import type { ChannelRange, ChannelReader, PrunableLayer } from './prunableLayers';

/** Ops that carry channel j to channel j and commute with removing a channel. */
export function isChannelWise(node: GraphNode, shapes: ShapeMap): boolean {
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
  /** Position of the node's channel 0 in the group's channel space (may be negative until normalised). */
  offset: number;
}

/**
 * Collects the channel group of one Conv2D: every tensor that carries its
 * channels (through channel-wise layers, through Add into a residual stream,
 * and through Concatenate at an offset), every Conv2D that writes them, and
 * every linear layer that reads them.
 */
export class ChannelGroupTracer {
  private readonly consumers: Map<string, string[]>;
  private readonly shapes: ShapeMap;
  private readonly offsets = new Map<string, number>();
  private readonly writers: string[] = [];
  private readonly path: string[] = [];
  private readonly readers: (ChannelReader & { source: string })[] = [];
  private reason: string | null = null;

  constructor(private readonly graph: ModelGraph) {
    this.consumers = consumersByNode(graph);
    this.shapes = inferShapes(graph);
  }

  trace(start: string): TraceResult {
    const pending: PendingMember[] = [{ name: start, offset: 0 }];
    while (pending.length > 0 && this.reason === null) {
      const { name, offset } = pending.pop()!;
      const known = this.offsets.get(name);
      if (known !== undefined) {
        if (known !== offset) this.block(`the channels of '${name}' reach the same layer at two different positions.`);
        continue;
      }
      this.offsets.set(name, offset);
      this.visit(getNode(this.graph, name), offset, pending);
    }
    const writers = this.inGraphOrder(this.writers);
    if (this.reason === null && this.readers.length === 0) this.reason = 'no linear layer reads its channels.';
    const group = this.reason === null ? this.buildGroup(writers) : null;
    return { writers, group, reason: this.reason };
  }

  private inGraphOrder(names: string[]): string[] {
    return this.graph.nodes.filter((node) => names.includes(node.name)).map((node) => node.name);
  }

  private channelsOf(name: string): number {
    const shape = this.shapes.get(name)!;
    return shape[shape.length - 1];
  }

  /** Shifts offsets so the group's channels start at 0, and checks every reader sees all of them. */
  private buildGroup(writers: string[]): PrunableLayer | null {
    const start = Math.min(...this.offsets.values());
    const total = Math.max(...[...this.offsets].map(([name, offset]) => offset + this.channelsOf(name))) - start;
    const ranges: Record<string, ChannelRange> = {};
    for (const name of [...writers, ...this.path]) ranges[name] = { offset: this.offsets.get(name)! - start, channels: this.channelsOf(name) };
    for (const { source, consumer } of this.readers) {
      if (this.offsets.get(source)! !== start || this.channelsOf(source) !== total) {
        this.block(`'${consumer}' reads only part of the channels joined by Concatenate.`);
        return null;
      }
    }
    const readers: ChannelReader[] = this.readers.map(({ source: _source, ...reader }) => reader);
    return { producer: writers[0], channels: total, writers, path: this.inGraphOrder(this.path), readers, ranges, ...readers[0] };
  }

  private block(reason: string): void {
    this.reason ??= reason;
  }

  /** Classifies one member tensor: who writes it (looking back) and who reads it (looking forward). */
  private visit(node: GraphNode, offset: number, pending: PendingMember[]): void {
    if (node.op === 'Conv2D') this.writers.push(node.name);
    if (this.graph.outputs.includes(node.name)) {
      this.block(node.op === 'Conv2D' ? `'${node.name}' is a model output.` : `its channels reach the model output '${node.name}'.`);
      return;
    }
    if (node.op === 'Conv2D') {
      if (node.activation === 'softmax') this.block(`'${node.name}' has a softmax activation, which mixes channels.`);
    } else if (node.op === 'Concatenate') {
      this.path.push(node.name);
      this.concatenateInputs(node).forEach(([input, position]) => pending.push({ name: input, offset: offset + position }));
    } else if (isChannelWise(node, this.shapes) || node.op === 'Add') {
      this.path.push(node.name);
      pending.push(...node.inputs.map((input) => ({ name: input, offset })));
    } else {
      this.block(`its channels also come from '${node.name}' (${node.op}), which cannot be pruned with them.`);
      return;
    }
    for (const readerName of this.consumers.get(node.name) ?? []) this.visitReader(node, offset, getNode(this.graph, readerName), pending);
  }

  /** Pairs each Concatenate input with the position of its first channel in the output. */
  private concatenateInputs(node: GraphNode): [string, number][] {
    if (new Set(node.inputs).size !== node.inputs.length) {
      this.block(`'${node.name}' concatenates the same tensor more than once; its copies cannot be pruned apart.`);
      return [];
    }
    let position = 0;
    return node.inputs.map((input) => {
      const entry: [string, number] = [input, position];
      position += this.channelsOf(input);
      return entry;
    });
  }

  private visitReader(source: GraphNode, offset: number, reader: GraphNode, pending: PendingMember[]): void {
    if (isLinearReader(reader)) {
      const tap = this.tapBeforeAveraging(source);
      const kind = reader.op === 'Conv2D' ? 'conv2d' : 'dense';
      const positions = reader.op === 'Conv2D' ? reader.kernelSize[0] * reader.kernelSize[1] : 1;
      this.readers.push({ source: source.name, tap, consumer: reader.name, consumerKind: kind, kernelPositions: positions });
    } else if (reader.op === 'Flatten') {
      this.visitFlatten(source, reader);
    } else if (reader.op === 'Concatenate') {
      const position = this.concatenateInputs(reader).find(([input]) => input === source.name)?.[1];
      if (position !== undefined) pending.push({ name: reader.name, offset: offset - position });
    } else if (isChannelWise(reader, this.shapes) || reader.op === 'Add') {
      pending.push({ name: reader.name, offset });
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
    const tap = this.tapBeforeAveraging(source);
    this.readers.push({ source: source.name, tap, consumer: dense.name, consumerKind: 'flattenDense', kernelPositions: positions });
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
