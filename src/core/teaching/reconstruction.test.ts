import { describe, expect, it } from 'vitest';
import { splitAtTolerance } from '../linalg/dependencySplit';
import { pivotedQr } from '../linalg/pivotedQr';
import { seededUniform } from '../testing/seededRandom';
import type { FeatureMaps } from './featureMaps';
import { coefficientsOf, reconstructDependent } from './reconstruction';

/** 3 x 3 maps with 4 channels where channel 2 = 2 * channel 0 - 0.5 * channel 3. */
function mapsWithOneDependency(): FeatureMaps {
  const random = seededUniform(3);
  const pixels = 9;
  const values = new Float32Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const [a, b, d] = [random(), random(), random()];
    values.set([a, b, 2 * a - 0.5 * d, d], p * 4);
  }
  return { height: 3, width: 3, channels: 4, values };
}

function splitOf(maps: FeatureMaps) {
  const matrix = Float64Array.from(maps.values);
  return splitAtTolerance(pivotedQr(matrix, maps.height * maps.width, maps.channels), 1e-5);
}

describe('coefficientsOf', () => {
  it('sorts kept channels by |T|', () => {
    const maps = mapsWithOneDependency();
    const split = splitOf(maps);
    expect(split.dependentChannels).toHaveLength(1);
    const coefficients = coefficientsOf(split, 0);
    expect(coefficients).toHaveLength(3);
    const magnitudes = coefficients.map(({ value }) => Math.abs(value));
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
  });

  it('rejects a dependent index out of range', () => {
    const split = splitOf(mapsWithOneDependency());
    expect(() => coefficientsOf(split, 1)).toThrow(RangeError);
  });
});

describe('reconstructDependent', () => {
  it('rebuilds an exact dependency', () => {
    const maps = mapsWithOneDependency();
    const split = splitOf(maps);
    const result = reconstructDependent(maps, split, 0);
    expect(result.relativeError).not.toBeNull();
    expect(result.relativeError!).toBeLessThan(1e-5);
    result.difference.forEach((value) => expect(Math.abs(value)).toBeLessThan(1e-5));
    expect(result.original).toHaveLength(9);
  });

  it('reports a silent map with no error', () => {
    const maps = mapsWithOneDependency();
    const split = splitOf(maps);
    const dependent = split.dependentChannels[0];
    const silent = { ...maps, values: maps.values.map((value, i) => (i % 4 === dependent ? 0 : value)) };
    expect(reconstructDependent(silent, split, 0).relativeError).toBeNull();
  });
});
