import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { splitAtTolerance } from './dependencySplit';
import { pivotedQr, type PivotedQr } from './pivotedQr';

/** One case of golden/pivoted-qr.json, written by golden/make_pivoted_qr.py from scipy. */
interface GoldenCase {
  name: string;
  rows: number;
  cols: number;
  a: number[];
  pivots: number[];
  absDiagR: number[];
  rank: number;
  /** T = R11^-1 R12, rank x (cols - rank) row-major, columns in scipy's pivot order. */
  coefficients: number[];
}

interface GoldenFile {
  tolerance: number;
  cases: GoldenCase[];
}

const golden = JSON.parse(
  readFileSync(new URL('../../../golden/pivoted-qr.json', import.meta.url), 'utf8'),
) as GoldenFile;

/** Returns max |(A P)^T (A P) - R^T R| / ||A||_F^2, which is rounding-sized exactly when A P = Q R for an orthogonal Q. */
function gramMismatch(a: Float64Array, qr: PivotedQr): number {
  const { rows, cols, r, pivots } = qr;
  const height = Math.min(rows, cols);
  let worst = 0;
  let frobeniusSquared = 0;
  for (const value of a) frobeniusSquared += value * value;
  for (let p = 0; p < cols; p++) {
    for (let q = p; q < cols; q++) {
      let fromA = 0;
      for (let i = 0; i < rows; i++) fromA += a[i * cols + pivots[p]] * a[i * cols + pivots[q]];
      let fromR = 0;
      for (let i = 0; i < height; i++) fromR += r[i * cols + p] * r[i * cols + q];
      worst = Math.max(worst, Math.abs(fromA - fromR));
    }
  }
  return frobeniusSquared === 0 ? worst : worst / frobeniusSquared;
}

function columnNorm(values: ArrayLike<number>, stride: number, column: number, height: number): number {
  let sum = 0;
  for (let i = 0; i < height; i++) sum += values[i * stride + column] ** 2;
  return Math.sqrt(sum);
}

describe('pivotedQr against scipy.linalg.qr(pivoting=True)', () => {
  it('contains every generated case', () => {
    expect(golden.cases.map((c) => c.name)).toEqual([
      'tall_random',
      'rank_deficient_tall',
      'exact_duplicates',
      'scaled_duplicates',
      'zero_column',
      'graded_columns',
      'near_dependent',
      'cancelled_downdate',
      'vandermonde',
      'wide',
      'small_square',
    ]);
  });

  for (const gold of golden.cases) {
    describe(gold.name, () => {
      const a = Float64Array.from(gold.a);
      const qr = pivotedQr(a, gold.rows, gold.cols);
      const height = Math.min(gold.rows, gold.cols);

      it('leaves the input unchanged', () => {
        expect(Array.from(a)).toEqual(gold.a);
      });

      it('matches leading pivots and tail set', () => {
        const pivots = Array.from(qr.pivots);
        expect(pivots.slice(0, gold.rank)).toEqual(gold.pivots.slice(0, gold.rank));
        const sorted = (values: number[]) => [...values].sort((x, y) => x - y);
        expect(sorted(pivots.slice(gold.rank))).toEqual(sorted(gold.pivots.slice(gold.rank)));
      });

      it('matches |diag R| up to the rank', () => {
        const diagonal = Array.from({ length: height }, (_, k) => Math.abs(qr.r[k * gold.cols + k]));
        for (let k = 0; k < gold.rank; k++) {
          expect(Math.abs(diagonal[k] - gold.absDiagR[k])).toBeLessThanOrEqual(1e-9 * gold.absDiagR[k]);
        }
        for (let k = gold.rank; k < height; k++) {
          expect(diagonal[k]).toBeLessThanOrEqual(golden.tolerance * diagonal[0]);
        }
      });

      it('reconstructs (A P)^T (A P) from R', () => {
        expect(qr.r.length).toBe(height * gold.cols);
        for (let i = 0; i < height; i++) {
          for (let j = 0; j < i; j++) expect(qr.r[i * gold.cols + j]).toBe(0);
        }
        expect(gramMismatch(a, qr)).toBeLessThan(1e-14);
      });

      it('matches rank, channels and T', () => {
        const split = splitAtTolerance(qr, golden.tolerance);
        expect(split.rank).toBe(gold.rank);
        expect(split.keptChannels).toEqual(gold.pivots.slice(0, gold.rank));
        const goldDependent = gold.pivots.slice(gold.rank);
        const dependentCount = goldDependent.length;
        goldDependent.forEach((channel, goldColumn) => {
          const column = split.dependentChannels.indexOf(channel);
          expect(column).toBeGreaterThanOrEqual(0);
          const expected = columnNorm(gold.coefficients, dependentCount, goldColumn, gold.rank);
          let error = 0;
          for (let i = 0; i < gold.rank; i++) {
            const difference = split.coefficients[i * dependentCount + column] - gold.coefficients[i * dependentCount + goldColumn];
            error += difference * difference;
          }
          expect(Math.sqrt(error)).toBeLessThanOrEqual(1e-8 * expected + 1e-300);
        });
      });
    });
  }
});

describe('pivotedQr', () => {
  it('breaks exact ties by lowest index', () => {
    // Columns 0 and 2 both have norm 5, and column 1 is smaller.
    const qr = pivotedQr(Float64Array.from([3, 1, 4, 4, 0, 3]), 2, 3);
    expect(qr.pivots[0]).toBe(0);
  });

  it('follows the LAPACK sign convention', () => {
    const qr = pivotedQr(Float64Array.from([3, 4]), 2, 1);
    expect(Array.from(qr.r)).toEqual([-5]);
  });

  it('handles squares that overflow or underflow', () => {
    for (const scale of [1e200, 1e-200]) {
      // Row-major [[1, 3], [0, 0], [1, 4]] times scale: column 1 (norm 5 * scale) must win.
      const qr = pivotedQr(Float64Array.from([1, 3, 0, 0, 1, 4], (value) => value * scale), 3, 2);
      expect(qr.pivots[0]).toBe(1);
      expect(Math.abs(qr.r[0] / (5 * scale) + 1)).toBeLessThan(1e-15);
    }
  });

  it('rejects a length mismatch', () => {
    expect(() => pivotedQr(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });

  it('rejects non-finite entries', () => {
    expect(() => pivotedQr(Float64Array.from([1, Number.NaN, 2, 3]), 2, 2)).toThrow(/\(0, 1\) is NaN/);
  });

  it('handles a matrix without rows', () => {
    const qr = pivotedQr(new Float64Array(0), 0, 3);
    expect(qr.r.length).toBe(0);
    expect(Array.from(qr.pivots)).toEqual([0, 1, 2]);
  });
});
