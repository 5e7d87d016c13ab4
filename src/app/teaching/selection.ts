import type { LayerDependencies } from '../../core/analysis/layerDependencies';

/** Index of the first layer with a dependent channel, else 0. */
export function defaultLayerIndex(dependencies: LayerDependencies[]): number {
  const index = dependencies.findIndex(({ split }) => split.dependentChannels.length > 0);
  return Math.max(0, index);
}

/** Index of the chosen layer, or the default one when nothing or an unknown layer is chosen. */
export function resolveLayerIndex(dependencies: LayerDependencies[], layerName: string | null): number {
  const chosen = dependencies.findIndex(({ layer }) => layer.producer === layerName);
  return chosen >= 0 ? chosen : defaultLayerIndex(dependencies);
}

/**
 * Position in split.dependentChannels of the chosen channel, or null when none is dependent.
 * Without a valid choice it picks the first filter whose map is not all zero, because a dead
 * filter's reconstruction (0 = 0) shows nothing; `columnNorms` gives each map's norm.
 */
export function resolveDependentIndex(dependentChannels: number[], chosen: number | null, columnNorms?: ArrayLike<number>): number | null {
  if (dependentChannels.length === 0) return null;
  const index = chosen === null ? -1 : dependentChannels.indexOf(chosen);
  if (index >= 0) return index;
  const live = columnNorms ? Array.from(columnNorms).findIndex((norm) => norm > 0) : -1;
  return live >= 0 ? live : 0;
}
