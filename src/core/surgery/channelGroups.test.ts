import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPrunableLayers } from '../analysis/prunableLayers';
import { getNode } from '../graph/graphQueries';
import type { Conv2DNode, DenseNode, GraphNode, ModelGraph } from '../graph/types';
import { analyzeAndPrune, dependentChannels, maxOutputDifference } from '../testing/pruneHarness';
import { conv, dense, graphOf, makeScaledDuplicate, seededRandom } from '../testing/syntheticModels';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const relu = (name: string, input: string): GraphNode => ({ op: 'Activation', name, inputs: [input], activation: 'relu' });
const add = (name: string, inputs: string[]): GraphNode => ({ op: 'Add', name, inputs });
const gap = (name: string, input: string): GraphNode => ({ op: 'GlobalAvgPool', name, inputs: [input] });

/**
 * stem (6) -> relu0 -> [conv1 -> relu1 -> conv2] + relu0 -> add -> relu2 -> GAP -> dense.
 * Channel 5 = 2 x channel 1 in both writers of the residual stream (stem and conv2).
 */
function basicBlock(): ModelGraph {
  const random = seededRandom(41);
  const stem = conv('stem', 'input', 3, 6, random);
  const conv1 = conv('conv1', 'relu0', 6, 4, random, { activation: 'relu' });
  const conv2 = conv('conv2', 'conv1', 4, 6, random);
  makeScaledDuplicate(stem, 1, 5, 2);
  makeScaledDuplicate(conv2, 1, 5, 2);
  return graphOf('basic_block', [8, 8, 3], [stem, relu('relu0', 'stem'), conv1, conv2, add('add', ['relu0', 'conv2']), relu('relu2', 'add'), gap('gap', 'relu2'), dense('logits', 'gap', 6, 3, random)]);
}

/** stem (4) -> relu0 -> [conv1 (6) -> conv2 (6)] + proj (1x1, 6) -> add -> relu -> GAP -> dense, with planted pairs in both streams. */
function projectionBlock(): ModelGraph {
  const random = seededRandom(43);
  const stem = conv('stem', 'input', 3, 4, random);
  makeScaledDuplicate(stem, 0, 3, 1.5);
  const conv1 = conv('conv1', 'relu0', 4, 6, random, { activation: 'relu', strides: [2, 2] });
  const conv2 = conv('conv2', 'conv1', 6, 6, random);
  const proj = conv('proj', 'relu0', 4, 6, random, { kernelSize: [1, 1], strides: [2, 2] });
  makeScaledDuplicate(conv2, 2, 4, 0.5);
  makeScaledDuplicate(proj, 2, 4, 0.5);
  return graphOf('projection_block', [8, 8, 3], [stem, relu('relu0', 'stem'), conv1, conv2, proj, add('add', ['conv2', 'proj']), relu('relu2', 'add'), gap('gap', 'relu2'), dense('logits', 'gap', 6, 3, random)]);
}

/** Bottleneck 1x1 -> 3x3 -> 1x1 plus identity, planted in the inner 3x3 and in the stream. */
function bottleneckBlock(): ModelGraph {
  const random = seededRandom(47);
  const stem = conv('stem', 'input', 3, 8, random);
  const reduce = conv('reduce', 'relu0', 8, 4, random, { kernelSize: [1, 1], activation: 'relu' });
  const inner = conv('inner', 'reduce', 4, 4, random, { activation: 'relu' });
  const expand = conv('expand', 'inner', 4, 8, random, { kernelSize: [1, 1] });
  makeScaledDuplicate(inner, 0, 2, 3);
  makeScaledDuplicate(stem, 6, 7, 1);
  makeScaledDuplicate(expand, 6, 7, 1);
  return graphOf('bottleneck', [8, 8, 3], [stem, relu('relu0', 'stem'), reduce, inner, expand, add('add', ['relu0', 'expand']), relu('relu2', 'add'), gap('gap', 'relu2'), dense('logits', 'gap', 8, 3, random)]);
}

function kernelOf(graph: ModelGraph, name: string): number[] {
  return (getNode(graph, name) as Conv2DNode | DenseNode).kernel.shape;
}

describe('residual channel groups', () => {
  it('prunes a basic block stream from every writer and reader', async () => {
    const graph = basicBlock();
    const group = findPrunableLayers(graph).prunable.find((layer) => layer.producer === 'stem')!;
    expect(group.writers).toEqual(['stem', 'conv2']);
    expect(group.readers.map((reader) => reader.consumer)).toEqual(['conv1', 'logits']);
    expect(group.readers.map((reader) => reader.tap)).toEqual(['relu0', 'relu2']);

    const { dependencies, pruned } = await analyzeAndPrune(graph);
    expect(dependentChannels(dependencies, 'stem')).toHaveLength(1);
    expect(kernelOf(pruned, 'stem')).toEqual([3, 3, 3, 5]);
    expect(kernelOf(pruned, 'conv2')).toEqual([3, 3, 4, 5]);
    expect(kernelOf(pruned, 'conv1')).toEqual([3, 3, 5, 4]);
    expect(kernelOf(pruned, 'logits')).toEqual([5, 3]);
    expect(await maxOutputDifference(graph, pruned)).toBeLessThan(1e-5);
  });

  it('keeps a channel that is dependent in only one writer', async () => {
    const graph = basicBlock();
    // Undo the plant in conv2: channel 5 of the sum is then independent.
    const conv2 = getNode(graph, 'conv2') as Conv2DNode;
    conv2.bias!.values[5] += 0.5;
    const { dependencies } = await analyzeAndPrune(graph);
    expect(dependentChannels(dependencies, 'stem')).toEqual([]);
  });

  it('prunes both streams around a projection shortcut', async () => {
    const graph = projectionBlock();
    const { prunable } = findPrunableLayers(graph);
    expect(prunable.map((layer) => layer.writers)).toEqual([['stem'], ['conv1'], ['conv2', 'proj']]);

    const { dependencies, pruned } = await analyzeAndPrune(graph);
    expect(dependentChannels(dependencies, 'stem')).toHaveLength(1);
    expect(dependentChannels(dependencies, 'conv2')).toHaveLength(1);
    expect(kernelOf(pruned, 'proj')).toEqual([1, 1, 3, 5]);
    expect(await maxOutputDifference(graph, pruned)).toBeLessThan(1e-5);
  });

  it('prunes inside and around a bottleneck block', async () => {
    const graph = bottleneckBlock();
    const { dependencies, pruned } = await analyzeAndPrune(graph);
    expect(dependentChannels(dependencies, 'inner')).toHaveLength(1);
    expect(dependentChannels(dependencies, 'stem')).toHaveLength(1);
    expect(await maxOutputDifference(graph, pruned)).toBeLessThan(1e-5);
  });
});

describe('other graph shapes', () => {
  it('prunes a layer read by two output heads', async () => {
    const random = seededRandom(53);
    const stem = conv('stem', 'input', 3, 5, random, { activation: 'relu' });
    makeScaledDuplicate(stem, 0, 4, 2);
    const graph = graphOf('two_heads', [8, 8, 3], [stem, gap('gap', 'stem'), dense('head_a', 'gap', 5, 2, random), dense('head_b', 'gap', 5, 3, random)]);
    graph.outputs = ['head_a', 'head_b'];
    const { dependencies, pruned } = await analyzeAndPrune(graph);
    expect(dependentChannels(dependencies, 'stem')).toHaveLength(1);
    expect(kernelOf(pruned, 'head_a')).toEqual([4, 2]);
    expect(kernelOf(pruned, 'head_b')).toEqual([4, 3]);
    expect(await maxOutputDifference(graph, pruned)).toBeLessThan(1e-5);
  });

  it('prunes a tensor concatenated with itself from both copies', async () => {
    const random = seededRandom(59);
    const left = conv('left', 'input', 3, 4, random, { activation: 'relu' });
    makeScaledDuplicate(left, 0, 3, 2);
    const graph = graphOf('concat_twice', [8, 8, 3], [
      left,
      { op: 'Concatenate', name: 'concat', inputs: ['left', 'left'] },
      conv('head', 'concat', 8, 2, random, { activation: 'relu' }),
      gap('gap', 'head'),
      dense('logits', 'gap', 2, 3, random),
    ]);
    const group = findPrunableLayers(graph).prunable.find((layer) => layer.producer === 'left')!;
    expect(group.channels).toBe(4);
    expect(group.readers[0].channelMap).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);

    const { dependencies, pruned } = await analyzeAndPrune(graph);
    expect(dependentChannels(dependencies, 'left')).toHaveLength(1);
    expect(kernelOf(pruned, 'left')).toEqual([3, 3, 3, 3]);
    expect(kernelOf(pruned, 'head')).toEqual([3, 3, 6, 2]);
    expect(await maxOutputDifference(graph, pruned)).toBeLessThan(1e-5);
  });

  it('reports a reader of only one concatenated branch', () => {
    const random = seededRandom(59);
    const graph = graphOf('concat_partial', [8, 8, 3], [
      conv('left', 'input', 3, 4, random),
      conv('right', 'input', 3, 4, random),
      { op: 'Concatenate', name: 'concat', inputs: ['left', 'right'] },
      conv('side', 'left', 4, 2, random),
      conv('head', 'concat', 8, 2, random),
      add('sum', ['side', 'head']),
    ]);
    const reasons = findPrunableLayers(graph).blocked.filter((entry) => entry.layer === 'left' || entry.layer === 'right');
    expect(reasons.map((entry) => entry.reason)).toEqual([
      "'side' reads only part of the channels joined by Concatenate.",
      "'side' reads only part of the channels joined by Concatenate.",
    ]);
  });

  it('reports a residual stream that starts at the model input', () => {
    const random = seededRandom(61);
    const graph = graphOf('input_stream', [8, 8, 3], [conv('conv', 'input', 3, 3, random), add('add', ['input', 'conv']), conv('head', 'add', 3, 2, random)]);
    expect(findPrunableLayers(graph).blocked[0].reason).toContain("come from 'input' (Input)");
  });
});

describe('concatenated branches', () => {
  it('prunes a channel of one branch that another branch explains', async () => {
    const random = seededRandom(71);
    const left = conv('left', 'input', 3, 4, random);
    const right = conv('right', 'input', 3, 3, random);
    // right's channel 1 = 2 x left's channel 2: both read the same input, so copy the kernel column across.
    for (let row = 0; row < 27; row++) right.kernel.values[row * 3 + 1] = 2 * left.kernel.values[row * 4 + 2];
    right.bias!.values[1] = 2 * left.bias!.values[2];
    const graph = graphOf('concat', [8, 8, 3], [
      left,
      right,
      { op: 'Concatenate', name: 'concat', inputs: ['left', 'right'] },
      relu('relu', 'concat'),
      conv('head', 'relu', 7, 3, random, { activation: 'relu' }),
      gap('gap', 'head'),
      dense('logits', 'gap', 3, 2, random),
    ]);
    const group = findPrunableLayers(graph).prunable.find((layer) => layer.producer === 'left')!;
    expect(group.writers).toEqual(['left', 'right']);
    expect(group.channelMaps.right).toEqual([4, 5, 6]);

    const { dependencies, pruned } = await analyzeAndPrune(graph);
    const dependent = dependentChannels(dependencies, 'left');
    expect(dependent.length).toBe(1);
    expect([2, 5]).toContain(dependent[0]);
    expect(kernelOf(pruned, 'left')[3] + kernelOf(pruned, 'right')[3]).toBe(6);
    expect(kernelOf(pruned, 'head')).toEqual([3, 3, 6, 3]);
    expect(await maxOutputDifference(graph, pruned)).toBeLessThan(1e-5);
  });
});

describe('channel-preserving reshape', () => {
  it('prunes through a channel-preserving reshape', async () => {
    const random = seededRandom(67);
    const stem = conv('stem', 'input', 3, 4, random, { activation: 'relu', padding: 'valid' });
    makeScaledDuplicate(stem, 1, 2, 3);
    const graph = graphOf('reshape', [5, 5, 3], [
      stem,
      { op: 'Reshape', name: 'reshape', inputs: ['stem'], targetShape: [9, 4] },
      dense('per_position', 'reshape', 4, 2, random),
      { op: 'Flatten', name: 'flatten', inputs: ['per_position'] },
      dense('logits', 'flatten', 18, 3, random),
    ]);
    const { dependencies, pruned } = await analyzeAndPrune(graph);
    expect(dependentChannels(dependencies, 'stem')).toHaveLength(1);
    expect((getNode(pruned, 'reshape') as GraphNode & { targetShape: number[] }).targetShape).toEqual([9, 3]);
    expect(await maxOutputDifference(graph, pruned)).toBeLessThan(1e-5);
  });
});
