import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParameters, getNode } from '../graph/graphQueries';
import type { BatchNormNode, Conv2DNode, DenseNode, DepthwiseConv2DNode, ModelGraph, PReluNode } from '../graph/types';
import {
  conv,
  dense,
  graphOf,
  makeDead,
  makeScaledDuplicate,
  randomTensor,
  seededRandom,
} from '../testing/syntheticModels';
import { analyzeAndPrune, dependentChannels, maxOutputDifference } from '../testing/pruneHarness';


beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * conv1 (8 filters: 5 = 2.5 x 1, 6 = 3, 7 dead) -> ReLU -> 2x2 max pool ->
 * conv2 (6 filters: 4 = 0.5 x 0, 5 = 2) -> ReLU -> Flatten -> Dense.
 */
function plantedModel(consumerOfConv1: 'conv' | 'dense'): ModelGraph {
  const random = seededRandom(7);
  const conv1 = conv('conv1', 'input', 3, 8, random, { activation: 'relu' });
  makeScaledDuplicate(conv1, 1, 5, 2.5);
  makeScaledDuplicate(conv1, 3, 6, 1);
  makeDead(conv1, 7);
  if (consumerOfConv1 === 'dense') {
    return graphOf('planted_dense', [8, 8, 3], [
      conv1,
      { op: 'MaxPool2D', name: 'pool1', inputs: ['conv1'], poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
      { op: 'Flatten', name: 'flatten', inputs: ['pool1'] },
      dense('logits', 'flatten', 4 * 4 * 8, 5, random),
    ]);
  }
  const conv2 = conv('conv2', 'pool1', 8, 6, random);
  makeScaledDuplicate(conv2, 0, 4, 0.5);
  makeScaledDuplicate(conv2, 2, 5, 1);
  return graphOf('planted_conv', [8, 8, 3], [
    conv1,
    { op: 'MaxPool2D', name: 'pool1', inputs: ['conv1'], poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
    conv2,
    { op: 'Activation', name: 'relu2', inputs: ['conv2'], activation: 'relu' },
    { op: 'Flatten', name: 'flatten', inputs: ['relu2'] },
    dense('logits', 'flatten', 4 * 4 * 6, 5, seededRandom(11)),
  ]);
}

const dependentOf = dependentChannels;

/** Checks that one channel of each planted pair goes; which one depends on the pivot order, so either passes. */
function expectOneOfEachPair(dependent: number[], pairs: [number, number][], dead: number[]): void {
  expect(dependent.length).toBe(pairs.length + dead.length);
  for (const channel of dead) expect(dependent).toContain(channel);
  for (const [a, b] of pairs) expect(Number(dependent.includes(a)) + Number(dependent.includes(b))).toBe(1);
}

async function expectSameOutputs(original: ModelGraph, pruned: ModelGraph): Promise<void> {
  expect(await maxOutputDifference(original, pruned)).toBeLessThan(1e-5);
}

describe('planted dependencies', () => {
  it('finds them with a Conv2D consumer through max pooling', async () => {
    const graph = plantedModel('conv');
    const { dependencies, pruned } = await analyzeAndPrune(graph);

    expectOneOfEachPair(dependentOf(dependencies, 'conv1'), [[1, 5], [3, 6]], [7]);
    expectOneOfEachPair(dependentOf(dependencies, 'conv2'), [[0, 4], [2, 5]], []);
    const conv1 = getNode(pruned, 'conv1') as Conv2DNode;
    expect(conv1.filters).toBe(5);
    expect(conv1.kernel.shape).toEqual([3, 3, 3, 5]);
    expect(countParameters(pruned)).toBeLessThan(countParameters(graph));
    await expectSameOutputs(graph, pruned);
  });

  it('finds them with a Flatten -> Dense consumer', async () => {
    const graph = plantedModel('dense');
    const { dependencies, pruned } = await analyzeAndPrune(graph);

    expectOneOfEachPair(dependentOf(dependencies, 'conv1'), [[1, 5], [3, 6]], [7]);
    const logits = getNode(pruned, 'logits') as DenseNode;
    expect(logits.kernel.shape).toEqual([4 * 4 * 5, 5]);
    await expectSameOutputs(graph, pruned);
  });

  it('leaves the original graph untouched', async () => {
    const graph = plantedModel('conv');
    const before = countParameters(graph);
    await analyzeAndPrune(graph);
    expect(countParameters(graph)).toBe(before);
  });
});

describe('model without dependencies', () => {
  it('removes nothing at the default tolerance', async () => {
    const random = seededRandom(5);
    const graph = graphOf('independent', [8, 8, 3], [
      conv('conv1', 'input', 3, 4, random, { activation: 'relu' }),
      conv('conv2', 'conv1', 4, 4, random),
    ]);
    const { dependencies, pruned } = await analyzeAndPrune(graph);
    expect(dependentOf(dependencies, 'conv1')).toEqual([]);
    expect(countParameters(pruned)).toBe(countParameters(graph));
  });
});

/** Copies per-channel parameters so that channel `target` = `scale` x channel `source` after each node. */
function scaleChannelThrough(values: Float32Array, channels: number, source: number, target: number, scale: number): void {
  for (let row = 0; row < values.length / channels; row++) values[row * channels + target] = scale * values[row * channels + source];
}

describe('planted dependencies through channel-wise layers', () => {
  it('slices BatchNorm, PReLU and a depthwise kernel with the producer', async () => {
    const random = seededRandom(31);
    const conv1 = conv('conv1', 'input', 3, 5, random);
    makeScaledDuplicate(conv1, 0, 3, 2);
    const ones = new Float32Array(5).fill(1);
    const bn: BatchNormNode = {
      op: 'BatchNorm', name: 'bn', inputs: ['conv1'], epsilon: 1e-3,
      gamma: { shape: [5], values: ones.slice() }, beta: randomTensor([5], random), movingMean: randomTensor([5], random), movingVariance: { shape: [5], values: ones.slice() },
    };
    // BN(2x) = 2 BN(x) needs the same gamma and variance and twice the mean and beta.
    scaleChannelThrough(bn.movingMean.values, 5, 0, 3, 2);
    scaleChannelThrough(bn.beta!.values, 5, 0, 3, 2);
    const prelu: PReluNode = { op: 'PReLU', name: 'prelu', inputs: ['bn'], alpha: randomTensor([1, 1, 5], random) };
    scaleChannelThrough(prelu.alpha.values, 5, 0, 3, 1);
    const depthwise: DepthwiseConv2DNode = {
      op: 'DepthwiseConv2D', name: 'depthwise', inputs: ['prelu'], depthMultiplier: 1, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1],
      padding: 'same', activation: 'relu', kernel: randomTensor([3, 3, 5, 1], random), bias: randomTensor([5], random),
    };
    scaleChannelThrough(depthwise.kernel.values, 5, 0, 3, 1);
    scaleChannelThrough(depthwise.bias!.values, 5, 0, 3, 2);
    const graph = graphOf('channel_wise', [8, 8, 3], [
      conv1, bn, prelu, depthwise,
      { op: 'GlobalAvgPool', name: 'gap', inputs: ['depthwise'] },
      dense('logits', 'gap', 5, 4, random),
    ]);

    const { dependencies, pruned } = await analyzeAndPrune(graph);
    const split = dependencies[0].split;
    const planted = split.dependentChannels.filter((channel) => channel === 0 || channel === 3);
    expect(planted.length).toBe(1);
    // Random weights may also leave a channel dead after the depthwise ReLU; that is an exact dependency too.
    split.dependentChannels.forEach((channel, j) => {
      if (channel !== planted[0]) expect(split.columnNorms[j]).toBe(0);
    });
    const kept = 5 - split.dependentChannels.length;
    expect((getNode(pruned, 'depthwise') as DepthwiseConv2DNode).kernel.shape).toEqual([3, 3, kept, 1]);
    expect((getNode(pruned, 'bn') as BatchNormNode).movingMean.shape).toEqual([kept]);
    expect((getNode(pruned, 'prelu') as PReluNode).alpha.shape).toEqual([1, 1, kept]);
    await expectSameOutputs(graph, pruned);
  });
});
