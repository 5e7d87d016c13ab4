import { describe, expect, it } from 'vitest';
import { imageMaxDifference, topClasses } from './topClasses';

const before = { values: Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.25, 0.25]), outputSize: 3 };
const after = { values: Float32Array.from([0.1, 0.6, 0.3, 0.5, 0.25, 0.25]), outputSize: 3 };

describe('topClasses', () => {
  it('lists the largest outputs first', () => {
    expect(topClasses(before, 0, 2)).toEqual([
      { classIndex: 1, value: expect.closeTo(0.7) },
      { classIndex: 2, value: expect.closeTo(0.2) },
    ]);
  });

  it('rejects an image out of range', () => {
    expect(() => topClasses(before, 2, 1)).toThrow(RangeError);
  });
});

describe('imageMaxDifference', () => {
  it('compares one image only', () => {
    expect(imageMaxDifference(before, after, 0)).toBeCloseTo(0.1, 6);
    expect(imageMaxDifference(before, after, 1)).toBe(0);
  });
});
