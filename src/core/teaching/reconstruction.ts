import type { DependencySplit } from '../linalg/dependencySplit';
import { channelMap, type FeatureMaps } from './featureMaps';

export interface Coefficient {
  /** Original index of a kept channel. */
  channel: number;
  /** T[k, d]: the multiple of kept channel k in the sum that replaces the dependent channel. */
  value: number;
}

/** Lists the kept channels' coefficients for dependent channel `dependentIndex` (its position in split.dependentChannels), largest |T| first. */
export function coefficientsOf(split: DependencySplit, dependentIndex: number): Coefficient[] {
  const dependentCount = split.dependentChannels.length;
  if (!Number.isInteger(dependentIndex) || dependentIndex < 0 || dependentIndex >= dependentCount) {
    throw new RangeError(`Dependent index ${dependentIndex} is out of range for ${dependentCount} dependent channels.`);
  }
  const coefficients = split.keptChannels.map((channel, row) => ({ channel, value: split.coefficients[row * dependentCount + dependentIndex] }));
  return coefficients.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
}

/**
 * Orders the terms T[k, d] * map_k of one image by how much they add, |T[k, d]| * ||map_k||,
 * so the first pictures are the ones that build the sum; terms that add nothing are left out.
 */
export function termsByContribution(maps: FeatureMaps, split: DependencySplit, dependentIndex: number): Coefficient[] {
  const weighted = coefficientsOf(split, dependentIndex).map((term) => {
    const map = channelMap(maps, term.channel);
    let squares = 0;
    for (let p = 0; p < map.length; p++) squares += map[p] * map[p];
    return { term, contribution: Math.abs(term.value) * Math.sqrt(squares) };
  });
  return weighted
    .filter(({ contribution }) => contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .map(({ term }) => term);
}

export interface Reconstruction {
  /** The dependent channel's own map on this image. */
  original: Float32Array;
  /** sum_k T[k, d] * map_k over the kept channels. */
  reconstruction: Float32Array;
  /** original - reconstruction. */
  difference: Float32Array;
  /** ||difference|| / ||original|| on this image; null when the original map is all zero. */
  relativeError: number | null;
}

/** Rebuilds one dependent channel's map from the kept maps of the same image, in float64. */
export function reconstructDependent(maps: FeatureMaps, split: DependencySplit, dependentIndex: number): Reconstruction {
  const original = channelMap(maps, split.dependentChannels[dependentIndex]);
  const sums = new Float64Array(original.length);
  for (const { channel, value } of coefficientsOf(split, dependentIndex)) {
    const kept = channelMap(maps, channel);
    for (let p = 0; p < sums.length; p++) sums[p] += value * kept[p];
  }
  const reconstruction = Float32Array.from(sums);
  const difference = new Float32Array(original.length);
  let differenceSquares = 0;
  let originalSquares = 0;
  for (let p = 0; p < original.length; p++) {
    const gap = original[p] - sums[p];
    difference[p] = gap;
    differenceSquares += gap * gap;
    originalSquares += original[p] * original[p];
  }
  const relativeError = originalSquares === 0 ? null : Math.sqrt(differenceSquares / originalSquares);
  return { original, reconstruction, difference, relativeError };
}
