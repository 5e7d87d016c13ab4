import type { WeightTensor } from '../../graph/types';
import type { WeightLookup } from './layerConfig';

/** Splits a weight name into layer and role: `conv/kernel`, `model/conv/kernel:0` and similar names all resolve. */
function nameParts(name: string): { layer: string; role: string } {
  const segments = name.replace(/:\d+$/, '').split('/');
  return { layer: segments[segments.length - 2], role: segments[segments.length - 1] };
}

/** Builds a WeightLookup over weights keyed by their names in the file, kept in file order. */
export function weightLookup(weights: Map<string, WeightTensor>): WeightLookup {
  const lookup = (layerName: string, role: string): WeightTensor | null => {
    for (const [name, tensor] of weights) {
      const parts = nameParts(name);
      if (parts.layer === layerName && parts.role === role) return tensor;
    }
    return null;
  };
  const layerWeights = (layerName: string): WeightTensor[] =>
    [...weights].filter(([name]) => nameParts(name).layer === layerName).map(([, tensor]) => tensor);
  return Object.assign(lookup, { layerWeights });
}
