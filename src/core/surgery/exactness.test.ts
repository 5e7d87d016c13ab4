import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFeatures } from '../analysis/analyzeFeatures';
import { dependenciesAtTolerance, planPrunings } from '../analysis/layerDependencies';
import { findPrunableLayers } from '../analysis/prunableLayers';
import { LocalRAccumulator } from '../analysis/rAccumulator';
import { DEFAULT_TOLERANCE } from '../analysis/tolerance';
import { countParameters, getNode } from '../graph/graphQueries';
import type { Conv2DNode, DenseNode, ModelGraph } from '../graph/types';
import { compareOutputs } from '../metrics/compareOutputs';
import { predict } from '../metrics/predict';
import {
  conv,
  dense,
  graphOf,
  makeDead,
  makeScaledDuplicate,
  randomImages,
  seededRandom,
} from '../testing/syntheticModels';
import { pruneGraph } from './pruneGraph';

const options = { scaling: { kind: 'unit' as const }, batchSize: 4 };

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

async function analyzeAndPrune(graph: ModelGraph) {
  const { prunable } = findPrunableLayers(graph);
  const images = randomImages(12, 8, seededRandom(3));
  const accumulator = new LocalRAccumulator(prunable.map((layer) => layer.channels));
  const analysis = await analyzeFeatures(graph, prunable, images, accumulator, options);
  const dependencies = dependenciesAtTolerance(analysis, DEFAULT_TOLERANCE);
  return { dependencies, pruned: pruneGraph(graph, planPrunings(dependencies)) };
}

function dependentOf(dependencies: Awaited<ReturnType<typeof analyzeAndPrune>>['dependencies'], producer: string): number[] {
  const found = dependencies.find(({ layer }) => layer.producer === producer);
  if (!found) throw new Error(`'${producer}' was not analysed`);
  return [...found.split.dependentChannels].sort((a, b) => a - b);
}

/** Checks that one channel of each planted pair goes; which one depends on the pivot order, so either passes. */
function expectOneOfEachPair(dependent: number[], pairs: [number, number][], dead: number[]): void {
  expect(dependent.length).toBe(pairs.length + dead.length);
  for (const channel of dead) expect(dependent).toContain(channel);
  for (const [a, b] of pairs) expect(Number(dependent.includes(a)) + Number(dependent.includes(b))).toBe(1);
}

async function expectSameOutputs(original: ModelGraph, pruned: ModelGraph): Promise<void> {
  const fresh = randomImages(6, 8, seededRandom(99));
  const before = await predict(original, fresh, options);
  const after = await predict(pruned, fresh, options);
  expect(compareOutputs(before, after).maxAbsDifference).toBeLessThan(1e-5);
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
