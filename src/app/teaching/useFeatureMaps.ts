import { useEffect, useState } from 'react';
import { computeFeatureMaps, type FeatureMaps } from '../../core/teaching/featureMaps';
import { useWorkbench } from '../store';

export type FeatureMapsState = { phase: 'loading' } | { phase: 'done'; maps: FeatureMaps } | { phase: 'error'; message: string };

/** Computes the tapped feature maps of one image, again whenever the model, image, tap or scaling changes. */
export function useFeatureMaps(tap: string, imageIndex: number): FeatureMapsState {
  const graph = useWorkbench((state) => state.model?.graph);
  const image = useWorkbench((state) => state.images[imageIndex]);
  const scaling = useWorkbench((state) => state.scaling);
  const [result, setResult] = useState<{ key: unknown[]; state: FeatureMapsState } | null>(null);
  const key = [graph, image, tap, scaling];

  useEffect(() => {
    if (!graph || !image) return;
    let current = true;
    computeFeatureMaps(graph, image, tap, scaling).then(
      (maps) => current && setResult({ key, state: { phase: 'done', maps } }),
      (error: Error) => current && setResult({ key, state: { phase: 'error', message: error.message } }),
    );
    return () => {
      current = false;
    };
  }, key);

  if (!graph || !image) return { phase: 'error', message: 'The model or the image is no longer loaded.' };
  const fresh = result !== null && result.key.every((value, i) => value === key[i]);
  return fresh ? result.state : { phase: 'loading' };
}
