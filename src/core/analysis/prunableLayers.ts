import { consumersByNode, getNode } from '../graph/graphQueries';
import { inferShapes } from '../graph/shapes';
import type { GraphNode, ModelGraph } from '../graph/types';

/**
 * How the consumer's kernel indexes the producer's channels. For all three the
 * kernel is viewed as [positions, inChannels, outChannels]. A conv kernel
 * [kh, kw, in, out] has kh*kw positions. A Dense after Flatten has H*W
 * positions, because channels-last flattening puts channel c of pixel p at row
 * p*C + c. A Dense on channel vectors has one position.
 */
export type ConsumerKind = 'conv2d' | 'flattenDense' | 'dense';

export interface PrunableLayer {
  /** The Conv2D whose filters may be removed. */
  producer: string;
  channels: number;
  /** Channel-wise nodes between producer and consumer; their per-channel weights (BatchNorm, depthwise kernel, PReLU alpha) are sliced with the producer. */
  path: string[];
  /** Node whose output is measured: the tensor the consumer reads (before Flatten or global average pooling). */
  tap: string;
  consumer: string;
  consumerKind: ConsumerKind;
  /** Positions per input channel in the consumer's kernel (see ConsumerKind). */
  kernelPositions: number;
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
function isChannelWise(node: GraphNode): boolean {
  switch (node.op) {
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
    case 'Add':
    case 'Concatenate':
      return `its channels reach ${where}, which joins channels of several layers; such channel groups are not prunable yet.`;
    case 'DepthwiseConv2D':
      return `its channels reach ${where} with depth multiplier ${reader.depthMultiplier}; only multiplier 1 is supported.`;
    case 'SeparableConv2D':
      return `its channels reach ${where}; a separable convolution as consumer is not supported yet.`;
    case 'Reshape':
      return `its channels reach ${where}, which can move values across channels.`;
    default:
      return `its channels reach ${where}, which mixes channels non-linearly.`;
  }
}

function kernelPositions(consumer: GraphNode): number {
  return consumer.op === 'Conv2D' ? consumer.kernelSize[0] * consumer.kernelSize[1] : 1;
}

/** Follows one Conv2D's output to the linear layer that reads it, or returns why that fails. */
function traceProducer(graph: ModelGraph, producer: GraphNode & { op: 'Conv2D' }): PrunableLayer | BlockedLayer {
  const consumers = consumersByNode(graph);
  const shapes = inferShapes(graph);
  const blocked = (reason: string): BlockedLayer => ({ layer: producer.name, reason });
  if (producer.activation === 'softmax') return blocked('its softmax activation mixes channels.');

  const path: string[] = [];
  let current: GraphNode = producer;
  let tap = producer.name;
  for (;;) {
    if (graph.outputs.includes(current.name)) {
      return blocked(current === producer ? 'it is a model output.' : `its channels reach the model output '${current.name}'.`);
    }
    const readers = consumers.get(current.name) ?? [];
    if (readers.length !== 1) {
      return blocked(`'${current.name}' feeds ${readers.length} layers; branching graphs are not supported yet.`);
    }
    const next = getNode(graph, readers[0]);
    if (next.op === 'Conv2D' || next.op === 'Dense') {
      const kind = next.op === 'Conv2D' ? 'conv2d' : 'dense';
      return { producer: producer.name, channels: producer.filters, path, tap, consumer: next.name, consumerKind: kind, kernelPositions: kernelPositions(next) };
    }
    if (next.op === 'Flatten') {
      const dense = consumers.get(next.name) ?? [];
      const denseNode = dense.length === 1 ? getNode(graph, dense[0]) : null;
      if (!denseNode || denseNode.op !== 'Dense' || graph.outputs.includes(next.name)) {
        return blocked(`'${next.name}' (Flatten) must feed exactly one Dense layer.`);
      }
      const shape = shapes.get(current.name)!;
      const positions = shape.slice(0, -1).reduce((product, size) => product * size, 1);
      return { producer: producer.name, channels: producer.filters, path, tap, consumer: denseNode.name, consumerKind: 'flattenDense', kernelPositions: positions };
    }
    if (!isChannelWise(next)) return blocked(unsupportedReaderReason(next));
    path.push(next.name);
    // Global average pooling is linear, so a dependency among the maps before it carries over; those maps have H*W times more rows.
    if (next.op !== 'GlobalAvgPool') tap = next.name;
    current = next;
  }
}

/** Lists every Conv2D whose filters can be removed with signal recovery, and every other one with the reason. */
export function findPrunableLayers(graph: ModelGraph): PrunabilityReport {
  const report: PrunabilityReport = { prunable: [], blocked: [] };
  for (const node of graph.nodes) {
    if (node.op !== 'Conv2D') continue;
    const traced = traceProducer(graph, node);
    if ('reason' in traced) report.blocked.push(traced);
    else report.prunable.push(traced);
  }
  return report;
}
