import { describe, it, expect } from 'vitest';
import { splitAtTolerance } from './dependencySplit';
import { pivotedQr } from './pivotedQr';
import { seededUniform } from '../testing/seededRandom';

/** Builds a rows x cols row-major matrix whose column j is column(j). */
function fromColumns(rows: number, columns: Float64Array[]): Float64Array {
  const cols = columns.length;
  const a = new Float64Array(rows * cols);
  columns.forEach((column, j) => column.forEach((value, i) => (a[i * cols + j] = value)));
  return a;
}

function randomColumn(rows: number, random: () => number, scale = 1): Float64Array {
  return Float64Array.from({ length: rows }, () => scale * random());
}

function split(a: Float64Array, rows: number, cols: number, tolerance: number) {
  return splitAtTolerance(pivotedQr(a, rows, cols), tolerance);
}

describe('splitAtTolerance', () => {
  it('keeps one channel of a zero layer', () => {
    const result = split(new Float64Array(10 * 4), 10, 4, 1e-10);
    expect(result.rank).toBe(1);
    expect(result.keptChannels).toEqual([0]);
    expect(result.dependentChannels).toEqual([1, 2, 3]);
    expect(Array.from(result.diagRatios)).toEqual([0, 0, 0, 0]);
    expect(Array.from(result.coefficients)).toEqual([0, 0, 0]);
    expect(Array.from(result.columnNorms)).toEqual([0, 0, 0]);
    expect(Array.from(result.relativeResiduals)).toEqual([0, 0, 0]);
  });

  it('reports a dead channel as zero', () => {
    const random = seededUniform(11);
    const rows = 30;
    const columns = [randomColumn(rows, random), randomColumn(rows, random), new Float64Array(rows), randomColumn(rows, random)];
    const result = split(fromColumns(rows, columns), rows, 4, 1e-10);
    expect(result.rank).toBe(3);
    expect(result.dependentChannels).toEqual([2]);
    expect(result.columnNorms[0]).toBe(0);
    expect(result.relativeResiduals[0]).toBe(0);
    // Back substitution on a zero right-hand side may produce -0.
    expect(Array.from(result.coefficients, Math.abs)).toEqual([0, 0, 0]);
  });

  it('gives a scaled duplicate its scale', () => {
    const random = seededUniform(12);
    const rows = 40;
    const source = randomColumn(rows, random, 3);
    const columns = [randomColumn(rows, random), source, randomColumn(rows, random), source.map((value) => 0.5 * value)];
    const result = split(fromColumns(rows, columns), rows, 4, 1e-10);
    expect(result.keptChannels[0]).toBe(1);
    expect(result.dependentChannels).toEqual([3]);
    for (let i = 0; i < result.rank; i++) {
      const expected = result.keptChannels[i] === 1 ? 0.5 : 0;
      expect(Math.abs(result.coefficients[i] - expected)).toBeLessThan(1e-12);
    }
    let sourceNorm = 0;
    for (const value of source) sourceNorm += value * value;
    expect(result.columnNorms[0]).toBeCloseTo(0.5 * Math.sqrt(sourceNorm), 12);
    expect(result.relativeResiduals[0]).toBeLessThan(1e-14);
  });

  it('matches a hand-checked 4 x 3 case', () => {
    // Columns: 4 e0, 3 e1, e0 + 0.5 e3. After keeping the first two, the last
    // column keeps 0.5 e3 as residual and is 0.25 times the first.
    const a = Float64Array.from([4, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0.5]);
    const result = split(a, 4, 3, 0.2);
    expect(result.rank).toBe(2);
    expect(result.keptChannels).toEqual([0, 1]);
    expect(Array.from(result.diagRatios)).toEqual([1, 0.75, 0.125]);
    expect(result.columnNorms[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(result.relativeResiduals[0]).toBeCloseTo(0.5 / Math.sqrt(1.25), 15);
    expect(Array.from(result.coefficients)).toEqual([0.25, 0]);
  });

  it('keeps every nonzero |R_kk| at tolerance 0', () => {
    const random = seededUniform(13);
    const rows = 20;
    const source = randomColumn(rows, random);
    // The halved copy leaves a rounding-sized |R_kk| > 0, so only the zero column is dependent.
    const columns = [source, randomColumn(rows, random), new Float64Array(rows), source.map((value) => 0.5 * value)];
    const qr = pivotedQr(fromColumns(rows, columns), rows, 4);
    expect(Math.abs(qr.r[2 * 4 + 2])).toBeGreaterThan(0);
    const result = splitAtTolerance(qr, 0);
    expect(result.rank).toBe(3);
    expect(result.dependentChannels).toEqual([2]);
  });

  it('keeps rank 1 at tolerance >= 1', () => {
    const random = seededUniform(14);
    const a = Float64Array.from({ length: 12 * 5 }, random);
    for (const tolerance of [1, 10, Infinity]) {
      const result = split(a, 12, 5, tolerance);
      expect(result.rank).toBe(1);
      expect(result.keptChannels.length + result.dependentChannels.length).toBe(5);
      expect(result.coefficients.length).toBe(4);
    }
  });

  it('keeps one channel without rows', () => {
    const result = split(new Float64Array(0), 0, 3, 1e-10);
    expect(result.rank).toBe(1);
    expect(Array.from(result.coefficients)).toEqual([0, 0]);
  });

  it('rejects a negative or NaN tolerance', () => {
    const qr = pivotedQr(Float64Array.from([1, 2, 3, 4]), 2, 2);
    expect(() => splitAtTolerance(qr, -1e-3)).toThrow(RangeError);
    expect(() => splitAtTolerance(qr, Number.NaN)).toThrow(RangeError);
  });
});
