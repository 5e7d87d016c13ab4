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

/** Position in split.dependentChannels of the chosen channel, the first one when it is not dependent, or null when none is. */
export function resolveDependentIndex(dependentChannels: number[], chosen: number | null): number | null {
  if (dependentChannels.length === 0) return null;
  const index = chosen === null ? -1 : dependentChannels.indexOf(chosen);
  return index >= 0 ? index : 0;
}
