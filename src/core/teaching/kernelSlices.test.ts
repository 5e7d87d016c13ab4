import { describe, expect, it } from 'vitest';
import type { PrunableLayer } from '../analysis/prunableLayers';
import { chainLayer } from '../testing/syntheticModels';
import { addScaled, consumerKernel, kernelSlice, strongestReader } from './kernelSlices';

function layerReading(channels: number, kernelPositions: number, consumerKind: PrunableLayer['consumerKind']): PrunableLayer {
  return chainLayer({ producer: 'producer', channels, path: [], tap: 'producer', consumer: 'consumer', consumerKind, kernelPositions });
}

/** Kernel whose value at [position, input, output] encodes its own index as 100 * position + 10 * input + output. */
function indexKernel(shape: number[], positions: number, inChannels: number, outChannels: number) {
  const values = new Float32Array(positions * inChannels * outChannels);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < inChannels; i++) {
      for (let o = 0; o < outChannels; o++) values[(p * inChannels + i) * outChannels + o] = 100 * p + 10 * i + o;
    }
  }
  return { shape, values };
}

describe('kernelSlice', () => {
  it('reads W[:, :, input, output] of a conv kernel', () => {
    const kernel = consumerKernel(indexKernel([2, 2, 3, 4], 4, 3, 4), layerReading(3, 4, 'conv2d'));
    expect(Array.from(kernelSlice(kernel, 2, 1))).toEqual([21, 121, 221, 321]);
  });

  it('reads one channel of Flatten -> Dense rows', () => {
    // Dense kernel [H * W * C, units] with H * W = 6 positions and C = 2.
    const kernel = consumerKernel(indexKernel([12, 3], 6, 2, 3), layerReading(2, 6, 'flattenDense'));
    expect(Array.from(kernelSlice(kernel, 1, 2))).toEqual([12, 112, 212, 312, 412, 512]);
  });

  it('rejects channels out of range', () => {
    const kernel = consumerKernel(indexKernel([1, 1, 2, 2], 1, 2, 2), layerReading(2, 1, 'conv2d'));
    expect(() => kernelSlice(kernel, 2, 0)).toThrow(RangeError);
    expect(() => kernelSlice(kernel, 0, -1)).toThrow(RangeError);
  });
});

describe('consumerKernel', () => {
  it('rejects a kernel for another channel count', () => {
    expect(() => consumerKernel(indexKernel([3, 3, 4, 2], 9, 4, 2), layerReading(5, 9, 'conv2d'))).toThrow(/does not read 5 channels/);
  });
});

describe('strongestReader', () => {
  it('picks the output with the largest weights', () => {
    const kernel = consumerKernel(indexKernel([1, 1, 2, 3], 1, 2, 3), layerReading(2, 1, 'conv2d'));
    expect(strongestReader(kernel, 0)).toBe(2);
  });
});

describe('addScaled', () => {
  it('adds a multiple element by element', () => {
    expect(Array.from(addScaled(Float32Array.from([1, 2]), Float32Array.from([10, -10]), 0.5))).toEqual([6, -3]);
  });
});
