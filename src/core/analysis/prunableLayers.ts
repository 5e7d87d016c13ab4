import type { ModelGraph } from '../graph/types';
import { consumersByNode } from '../graph/graphQueries';
import { inferShapes } from '../graph/shapes';
import { ChannelGroupTracer } from './channelGroupTracer';

/**
 * Layout in which the consumer's kernel indexes the producer's channels. For all three the
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
  /** Group channel carried by each channel of the tapped tensor (see PrunableLayer.channelMaps). */
  channelMap: number[];
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
  /**
   * Group channel carried by each channel of every writer and path node:
   * the identity in a plain chain, one range per branch joined by
   * Concatenate, and repeated entries after a tensor concatenated with itself.
   */
  channelMaps: Record<string, number[]>;
}

export interface BlockedLayer {
  layer: string;
  reason: string;
}

export interface PrunabilityReport {
  prunable: PrunableLayer[];
  blocked: BlockedLayer[];
}

/** Lists every Conv2D whose filters can be removed with signal recovery, and every other convolution that creates channels with the reason. */
export function findPrunableLayers(graph: ModelGraph): PrunabilityReport {
  const report: PrunabilityReport = { prunable: [], blocked: [] };
  const assigned = new Set<string>();
  const consumers = consumersByNode(graph);
  const shapes = inferShapes(graph);
  for (const node of graph.nodes) {
    if (node.op === 'SeparableConv2D' || (node.op === 'DepthwiseConv2D' && node.depthMultiplier > 1)) {
      report.blocked.push({ layer: node.name, reason: `its filters are not pruned: removing ${node.op} output channels is not implemented.` });
      continue;
    }
    if (node.op !== 'Conv2D' || assigned.has(node.name)) continue;
    const traced = new ChannelGroupTracer(graph, consumers, shapes).trace(node.name);
    traced.writers.forEach((writer) => assigned.add(writer));
    if (traced.reason !== null) {
      report.blocked.push(...traced.writers.map((writer) => ({ layer: writer, reason: traced.reason! })));
    } else {
      report.prunable.push(traced.group!);
    }
  }
  return report;
}

