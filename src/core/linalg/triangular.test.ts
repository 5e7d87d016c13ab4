import { describe, it, expect } from 'vitest';
import { solveUpperTriangular } from './triangular';
import { seededUniform } from '../testing/seededRandom';

describe('solveUpperTriangular', () => {
  it('solves a 2 x 2 system exactly', () => {
    const x = solveUpperTriangular(Float64Array.from([2, 1, 0, 4]), 2, 2, Float64Array.from([4, 8]), 1);
    // x1 = 8 / 4; x0 = (4 - 1 * 2) / 2.
    expect(Array.from(x)).toEqual([1, 2]);
  });

  it('solves a leading block with stride', () => {
    const k = 7;
    const ldr = 11;
    const nrhs = 3;
    const random = seededUniform(7);
    // Entries outside the leading upper triangle are garbage the solver must not read.
    const r = Float64Array.from({ length: k * ldr }, () => 100 * random());
    for (let i = 0; i < k; i++) {
      for (let t = i; t < k; t++) r[i * ldr + t] = random();
      r[i * ldr + i] = 2 + random();
    }
    const b = Float64Array.from({ length: k * nrhs }, random);
    const bCopy = b.slice();
    const x = solveUpperTriangular(r, ldr, k, b, nrhs);
    expect(b).toEqual(bCopy);
    for (let i = 0; i < k; i++) {
      for (let c = 0; c < nrhs; c++) {
        let product = 0;
        for (let t = i; t < k; t++) product += r[i * ldr + t] * x[t * nrhs + c];
        expect(Math.abs(product - b[i * nrhs + c])).toBeLessThan(1e-12);
      }
    }
  });

  it('zeroes rows with a zero diagonal', () => {
    const r = Float64Array.from([1, 2, 3, 0, 0, 1, 0, 0, 2]);
    const x = solveUpperTriangular(r, 3, 3, Float64Array.from([10, 5, 4]), 1);
    // x2 = 4 / 2; x1 = 0 by contract; x0 = 10 - 2 * 0 - 3 * 2.
    expect(Array.from(x)).toEqual([4, 0, 2]);
  });

  it('accepts an empty system', () => {
    expect(solveUpperTriangular(new Float64Array(0), 0, 0, new Float64Array(0), 4).length).toBe(0);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => solveUpperTriangular(new Float64Array(9), 2, 3, new Float64Array(3), 1)).toThrow(RangeError);
    expect(() => solveUpperTriangular(new Float64Array(9), 3, 3, new Float64Array(4), 1)).toThrow(RangeError);
  });
});
