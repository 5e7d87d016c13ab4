import type { LayerDependencies } from '../core/analysis/layerDependencies';

/** One filter the rank rule marks dependent, with the figures that justify it. */
export interface DependentFilter {
  channel: number;
  /** |R_kk| / |R_00| at the filter's pivot position. */
  diagRatio: number;
  /** Least-squares residual of its feature map from the kept maps, relative to the map's norm. */
  relativeResidual: number;
  /** Norm of its feature map over all sample rows; 0 means a dead filter. */
  columnNorm: number;
}

/** The kept filter that the rank rule drops first as the tolerance rises. */
export interface NextCandidate {
  layer: string;
  channel: number;
  diagRatio: number;
}

export function dependentFilters({ split }: LayerDependencies): DependentFilter[] {
  return split.dependentChannels.map((channel, d) => ({
    channel,
    diagRatio: split.diagRatios[split.rank + d] ?? 0,
    relativeResidual: split.relativeResiduals[d],
    columnNorm: split.columnNorms[d],
  }));
}

/**
 * Returns how many images a layer needs when it got fewer feature rows than it has channels, else null.
 * With fewer rows than channels the rank cannot exceed the row count, so the dependent filters found are an artifact of the sample.
 */
export function imagesNeeded(channels: number, rows: number, imageCount: number): number | null {
  if (rows >= channels) return null;
  const rowsPerImage = rows / imageCount;
  return Math.ceil(channels / rowsPerImage);
}

export function totalFilters(dependencies: LayerDependencies[]): number {
  return dependencies.reduce((sum, { layer }) => sum + layer.channels, 0);
}

/**
 * Finds the kept pivot position (never position 0, which the rule always keeps)
 * with the smallest |R_kk| / |R_00| over all layers. The rank rule stops at the
 * first position that fails, so this is where it stops once the tolerance reaches that ratio.
 */
export function nextCandidate(dependencies: LayerDependencies[]): NextCandidate | null {
  let best: NextCandidate | null = null;
  for (const { layer, split } of dependencies) {
    for (let k = 1; k < split.rank; k++) {
      if (best === null || split.diagRatios[k] < best.diagRatio) {
        best = { layer: layer.producer, channel: split.keptChannels[k], diagRatio: split.diagRatios[k] };
      }
    }
  }
  return best;
}

/** Returns the dependent filter with the largest relative residual over all layers, or null when none is dependent. */
export function worstDependentFilter(dependencies: LayerDependencies[]): { layer: string; filter: DependentFilter } | null {
  let worst: { layer: string; filter: DependentFilter } | null = null;
  for (const layerDependencies of dependencies) {
    for (const filter of dependentFilters(layerDependencies)) {
      if (worst === null || filter.relativeResidual > worst.filter.relativeResidual) worst = { layer: layerDependencies.layer.producer, filter };
    }
  }
  return worst;
}
