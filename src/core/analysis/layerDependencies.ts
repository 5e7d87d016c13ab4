import { splitAtTolerance, type DependencySplit } from '../linalg/dependencySplit';
import type { LayerPruning } from '../surgery/pruneGraph';
import type { FeatureAnalysis } from './analyzeFeatures';
import type { PrunableLayer } from './prunableLayers';

export interface LayerDependencies {
  layer: PrunableLayer;
  split: DependencySplit;
}

/** Applies the rank rule at one tolerance to every analysed layer; cheap, so the UI reruns it live. */
export function dependenciesAtTolerance(analysis: FeatureAnalysis, tolerance: number): LayerDependencies[] {
  return analysis.layers.map((layer, i) => ({ layer, split: splitAtTolerance(analysis.qrs[i], tolerance) }));
}

export function planPrunings(dependencies: LayerDependencies[]): LayerPruning[] {
  return dependencies.map(({ layer, split }) => ({
    layer,
    kept: split.keptChannels,
    dependent: split.dependentChannels,
    coefficients: split.coefficients,
  }));
}

export function countDependent(dependencies: LayerDependencies[]): number {
  return dependencies.reduce((sum, { split }) => sum + split.dependentChannels.length, 0);
}
