import { useMemo } from 'react';
import { dependenciesAtTolerance, type LayerDependencies } from '../../core/analysis/layerDependencies';
import { useWorkbench } from '../store';
import { resolveDependentIndex, resolveLayerIndex } from './selection';
import { useTeaching } from './teachingStore';

export interface TeachingSelection {
  dependencies: LayerDependencies[];
  layerIndex: number;
  /** The chosen layer and its split at the store's tolerance. */
  chosen: LayerDependencies;
  imageIndex: number;
  /** Position of the chosen dependent channel in chosen.split.dependentChannels; null when the layer has none. */
  dependentIndex: number | null;
}

/** Resolves the teaching view's choices against the current analysis and tolerance; null before an analysis with a prunable layer. */
export function useTeachingSelection(): TeachingSelection | null {
  const analysis = useWorkbench((state) => state.analysis);
  const tolerance = useWorkbench((state) => state.tolerance);
  const imageCount = useWorkbench((state) => state.images.length);
  const layerName = useTeaching((state) => state.layerName);
  const imageIndex = useTeaching((state) => state.imageIndex);
  const dependentChannel = useTeaching((state) => state.dependentChannel);
  const dependencies = useMemo(() => (analysis ? dependenciesAtTolerance(analysis.features, tolerance) : []), [analysis, tolerance]);
  if (dependencies.length === 0) return null;

  const layerIndex = resolveLayerIndex(dependencies, layerName);
  const chosen = dependencies[layerIndex];
  return {
    dependencies,
    layerIndex,
    chosen,
    imageIndex: Math.min(imageIndex, Math.max(0, imageCount - 1)),
    dependentIndex: resolveDependentIndex(chosen.split.dependentChannels, dependentChannel, chosen.split.columnNorms),
  };
}
