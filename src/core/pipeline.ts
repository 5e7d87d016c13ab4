import { analyzeFeatures, type BatchRunOptions, type FeatureAnalysis } from './analysis/analyzeFeatures';
import { dependenciesAtTolerance, planPrunings, type LayerDependencies } from './analysis/layerDependencies';
import { findPrunableLayers, type PrunabilityReport } from './analysis/prunableLayers';
import type { RAccumulator } from './analysis/rAccumulator';
import type { DecodedImage } from './data/preprocessing';
import { countParameters } from './graph/graphQueries';
import type { ModelGraph } from './graph/types';
import { compareOutputs, top1Accuracy, type Accuracy, type OutputComparison } from './metrics/compareOutputs';
import { countFlops } from './metrics/flops';
import { predict, type Predictions } from './metrics/predict';
import { pruneGraph } from './surgery/pruneGraph';

export interface ModelAnalysis {
  prunability: PrunabilityReport;
  features: FeatureAnalysis;
  /** The original model's outputs on the sample images. */
  original: Predictions;
}

/** Finds the prunable layers and measures their feature dependencies on the images, in one pass. */
export async function analyzeModel(
  graph: ModelGraph,
  images: DecodedImage[],
  makeAccumulator: (channelsPerLayer: number[]) => RAccumulator,
  options: BatchRunOptions,
): Promise<ModelAnalysis> {
  const prunability = findPrunableLayers(graph);
  const accumulator = makeAccumulator(prunability.prunable.map((layer) => layer.channels));
  const features = await analyzeFeatures(graph, prunability.prunable, images, accumulator, options);
  return { prunability, features, original: { values: features.outputs, outputSize: features.outputSize } };
}

export interface ModelStats {
  params: number;
  flops: number;
  /** Top-1 on labelled images; null when no image has a label. */
  accuracy: Accuracy | null;
}

export interface PruneOutcome {
  tolerance: number;
  graph: ModelGraph;
  dependencies: LayerDependencies[];
  removedFilters: number;
  before: ModelStats;
  after: ModelStats;
  /** Pruned vs original outputs on the sample images. */
  comparison: OutputComparison;
  pruned: Predictions;
}

function stats(graph: ModelGraph, predictions: Predictions, labels: (number | null)[]): ModelStats {
  const accuracy = top1Accuracy(predictions, labels);
  return { params: countParameters(graph), flops: countFlops(graph), accuracy: accuracy.labelled > 0 ? accuracy : null };
}

/** Removes the dependent filters at `tolerance`, rewrites the consumers, and measures the result on the images. */
export async function pruneAndEvaluate(
  graph: ModelGraph,
  analysis: ModelAnalysis,
  tolerance: number,
  images: DecodedImage[],
  labels: (number | null)[],
  options: BatchRunOptions,
): Promise<PruneOutcome> {
  const dependencies = dependenciesAtTolerance(analysis.features, tolerance);
  const prunedGraph = pruneGraph(graph, planPrunings(dependencies));
  const pruned = await predict(prunedGraph, images, options);
  return {
    tolerance,
    graph: prunedGraph,
    dependencies,
    removedFilters: dependencies.reduce((sum, { split }) => sum + split.dependentChannels.length, 0),
    before: stats(graph, analysis.original, labels),
    after: stats(prunedGraph, pruned, labels),
    comparison: compareOutputs(analysis.original, pruned),
    pruned,
  };
}
