import type { ChannelReader, PrunableLayer } from '../analysis/prunableLayers';
import { getNode } from '../graph/graphQueries';
import type { GraphNode, ModelGraph, WeightTensor } from '../graph/types';

/** Channels to remove from one prunable layer, with the coefficients that recover their signal in the consumer. */
export interface LayerPruning {
  layer: PrunableLayer;
  /** Original indices of the channels that stay (any order; `coefficients` rows follow it). */
  kept: number[];
  /** Original indices of the channels to remove. */
  dependent: number[];
  /** kept.length x dependent.length, row-major: channel dependent[j] ~= sum_i T[i, j] * channel kept[i]. */
  coefficients: Float64Array;
}

/** Keeps the given indices (ascending) along one axis of a tensor. */
function sliceAxis(tensor: WeightTensor, axis: number, keep: number[]): WeightTensor {
  const channels = tensor.shape[axis];
  const inner = tensor.shape.slice(axis + 1).reduce((product, n) => product * n, 1);
  const outer = tensor.values.length / (channels * inner);
  const values = new Float32Array(outer * keep.length * inner);
  for (let row = 0; row < outer; row++) {
    for (let i = 0; i < keep.length; i++) {
      const from = (row * channels + keep[i]) * inner;
      values.set(tensor.values.subarray(from, from + inner), (row * keep.length + i) * inner);
    }
  }
  const shape = [...tensor.shape];
  shape[axis] = keep.length;
  return { ...tensor, shape, values };
}

function sliceLastAxis(tensor: WeightTensor, keep: number[]): WeightTensor {
  return sliceAxis(tensor, tensor.shape.length - 1, keep);
}

/** Slices the per-channel weights of a channel-wise node on the path from producer to consumer. */
function slicePathNode(node: GraphNode, keepSorted: number[], channels: number): GraphNode {
  switch (node.op) {
    case 'BatchNorm':
      return {
        ...node,
        gamma: node.gamma && sliceLastAxis(node.gamma, keepSorted),
        beta: node.beta && sliceLastAxis(node.beta, keepSorted),
        movingMean: sliceLastAxis(node.movingMean, keepSorted),
        movingVariance: sliceLastAxis(node.movingVariance, keepSorted),
      };
    case 'DepthwiseConv2D':
      return { ...node, kernel: sliceAxis(node.kernel, 2, keepSorted), bias: node.bias && sliceLastAxis(node.bias, keepSorted) };
    case 'Reshape':
      return { ...node, targetShape: [...node.targetShape.slice(0, -1), keepSorted.length] };
    case 'PReLU': {
      // A last axis of 1 means alpha is shared across channels and stays as it is.
      const shared = node.alpha.shape[node.alpha.shape.length - 1] !== channels;
      return shared ? node : { ...node, alpha: sliceLastAxis(node.alpha, keepSorted) };
    }
    default:
      return node;
  }
}

/**
 * Rewrites a consumer kernel viewed as [positions, inChannels, outChannels].
 * Input channel i carries group channel map[i]. Each input channel carrying a
 * dependent channel d moves T[k, d] times its weights onto the first input
 * channel carrying each kept k (any copy gives the same sum), and then the
 * input channels of dependent channels are deleted. Sums run in float64.
 */
function recoverInConsumer(kernel: WeightTensor, reader: ChannelReader, pruning: LayerPruning, keptSet: Set<number>): WeightTensor {
  const positions = reader.kernelPositions;
  const map = reader.channelMap;
  const outChannels = kernel.shape[kernel.shape.length - 1];
  const inChannels = kernel.values.length / (positions * outChannels);
  if (!Number.isInteger(inChannels) || inChannels !== map.length) {
    throw new Error(
      `Consumer '${reader.consumer}' has a kernel of shape [${kernel.shape.join(', ')}], ` +
        `which does not read ${map.length} channels at ${positions} positions.`,
    );
  }
  const { kept, dependent, coefficients } = pruning;
  const keptInputs = map.flatMap((channel, input) => (keptSet.has(channel) ? [input] : []));
  const newIndexOfInput = new Map(keptInputs.map((input, newIndex) => [input, newIndex]));
  const targetOfKept = kept.map((channel) => newIndexOfInput.get(map.indexOf(channel))!);
  const columnOfDependent = new Map(dependent.map((channel, j) => [channel, j]));

  const sums = new Float64Array(positions * keptInputs.length * outChannels);
  const source = kernel.values;
  for (let p = 0; p < positions; p++) {
    keptInputs.forEach((input, newIndex) => {
      for (let o = 0; o < outChannels; o++) sums[(p * keptInputs.length + newIndex) * outChannels + o] = source[(p * inChannels + input) * outChannels + o];
    });
    map.forEach((channel, input) => {
      const j = columnOfDependent.get(channel);
      if (j === undefined) return;
      kept.forEach((_, row) => {
        const t = coefficients[row * dependent.length + j];
        const target = (p * keptInputs.length + targetOfKept[row]) * outChannels;
        for (let o = 0; o < outChannels; o++) sums[target + o] += t * source[(p * inChannels + input) * outChannels + o];
      });
    });
  }
  const shape = [...kernel.shape];
  if (reader.consumerKind === 'conv2d') shape[2] = keptInputs.length;
  else shape[0] = positions * keptInputs.length;
  return { ...kernel, shape, values: Float32Array.from(sums) };
}

/** Lists a node's own channels that carry kept group channels, in order. */
function keptChannelsOf(pruning: LayerPruning, name: string, keptSet: Set<number>): number[] {
  const map = pruning.layer.channelMaps[name];
  return map.flatMap((channel, own) => (keptSet.has(channel) ? [own] : []));
}

function validate(pruning: LayerPruning): void {
  const { layer, kept, dependent, coefficients } = pruning;
  const all = new Set([...kept, ...dependent]);
  if (kept.length === 0) throw new Error(`Pruning would remove every channel of '${layer.producer}'; at least one must stay.`);
  if (all.size !== layer.channels || kept.length + dependent.length !== layer.channels) {
    throw new Error(`Pruning of '${layer.producer}' must split its ${layer.channels} channels into kept and dependent exactly once each.`);
  }
  if (coefficients.length !== kept.length * dependent.length) {
    throw new Error(`Pruning of '${layer.producer}' has ${coefficients.length} coefficients; expected ${kept.length} x ${dependent.length}.`);
  }
}

function replaceNode(nodes: GraphNode[], updated: GraphNode): void {
  nodes[nodes.findIndex((node) => node.name === updated.name)] = updated;
}

function applyPruning(nodes: GraphNode[], graph: ModelGraph, pruning: LayerPruning): void {
  validate(pruning);
  if (pruning.dependent.length === 0) return;
  const keptSet = new Set(pruning.kept);
  const current = (name: string): GraphNode => nodes.find((node) => node.name === name) ?? getNode(graph, name);

  for (const name of pruning.layer.writers) {
    const writer = current(name);
    if (writer.op !== 'Conv2D') throw new Error(`Layer '${writer.name}' writes the pruned channels but is ${writer.op}, expected Conv2D.`);
    const keep = keptChannelsOf(pruning, name, keptSet);
    if (keep.length === 0) {
      throw new Error(`Pruning at this tolerance would remove every filter of '${name}', one branch of a Concatenate. Use a lower tolerance.`);
    }
    replaceNode(nodes, {
      ...writer,
      filters: keep.length,
      kernel: sliceLastAxis(writer.kernel, keep),
      bias: writer.bias && sliceLastAxis(writer.bias, keep),
    });
  }

  for (const name of pruning.layer.path) {
    const channels = pruning.layer.channelMaps[name].length;
    replaceNode(nodes, slicePathNode(current(name), keptChannelsOf(pruning, name, keptSet), channels));
  }

  for (const reader of pruning.layer.readers) {
    const consumer = current(reader.consumer);
    if (consumer.op !== 'Conv2D' && consumer.op !== 'Dense') {
      throw new Error(`Consumer '${consumer.name}' is ${consumer.op}, expected Conv2D or Dense.`);
    }
    replaceNode(nodes, { ...consumer, kernel: recoverInConsumer(consumer.kernel, reader, pruning, keptSet) });
  }
}

/**
 * Returns a new graph with the dependent channels removed and the consumers
 * rewritten so their outputs stay the same where the dependencies are exact.
 * The input graph is not modified; untouched weights are shared with it.
 */
export function pruneGraph(graph: ModelGraph, prunings: LayerPruning[]): ModelGraph {
  const nodes = [...graph.nodes];
  for (const pruning of prunings) applyPruning(nodes, graph, pruning);
  return { ...graph, nodes };
}
