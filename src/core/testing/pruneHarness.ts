import { analyzeFeatures } from '../analysis/analyzeFeatures';
import { dependenciesAtTolerance, planPrunings, type LayerDependencies } from '../analysis/layerDependencies';
import { findPrunableLayers } from '../analysis/prunableLayers';
import { LocalRAccumulator } from '../analysis/rAccumulator';
import { DEFAULT_TOLERANCE } from '../analysis/tolerance';
import { inputNode } from '../graph/graphQueries';
import type { ModelGraph } from '../graph/types';
import { compareOutputs } from '../metrics/compareOutputs';
import { predict } from '../metrics/predict';
import { pruneGraph } from '../surgery/pruneGraph';
import { randomImages, seededRandom } from './syntheticModels';

const options = { scaling: { kind: 'unit' as const }, batchSize: 4 };

/** Analyses a synthetic model on random images at the default tolerance and prunes every dependent channel. */
export async function analyzeAndPrune(graph: ModelGraph): Promise<{ dependencies: LayerDependencies[]; pruned: ModelGraph }> {
  const { prunable } = findPrunableLayers(graph);
  const size = inputNode(graph).shape[0];
  const images = randomImages(12, size, seededRandom(3));
  const accumulator = new LocalRAccumulator(prunable.map((layer) => layer.channels));
  const analysis = await analyzeFeatures(graph, prunable, images, accumulator, options);
  const dependencies = dependenciesAtTolerance(analysis, DEFAULT_TOLERANCE);
  return { dependencies, pruned: pruneGraph(graph, planPrunings(dependencies)) };
}

/** Max |output difference| between two models on fresh random images. */
export async function maxOutputDifference(original: ModelGraph, pruned: ModelGraph): Promise<number> {
  const fresh = randomImages(6, inputNode(original).shape[0], seededRandom(99));
  const before = await predict(original, fresh, options);
  const after = await predict(pruned, fresh, options);
  return compareOutputs(before, after).maxAbsDifference;
}

export function dependentChannels(dependencies: LayerDependencies[], producer: string): number[] {
  const found = dependencies.find(({ layer }) => layer.producer === producer);
  if (!found) throw new Error(`'${producer}' was not analysed; analysed: ${dependencies.map(({ layer }) => layer.producer).join(', ')}`);
  return [...found.split.dependentChannels].sort((a, b) => a - b);
}
