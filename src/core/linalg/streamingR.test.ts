import { describe, it, expect } from 'vitest';
import { splitAtTolerance, type DependencySplit } from './dependencySplit';
import { pivotedQr } from './pivotedQr';
import { StreamingR } from './streamingR';
import { seededUniform } from '../testing/seededRandom';

function randomFloat32(rows: number, cols: number, seed: number): Float32Array {
  const random = seededUniform(seed);
  return Float32Array.from({ length: rows * cols }, random);
}

/** Feeds data to a new StreamingR in consecutive batches of the given row counts. */
function streamInBatches(data: Float32Array, cols: number, batchRows: number[]): StreamingR {
  const streaming = new StreamingR(cols);
  let first = 0;
  for (const rows of batchRows) {
    streaming.addRows(data.subarray(first * cols, (first + rows) * cols), rows);
    first += rows;
  }
  expect(first * cols).toBe(data.length);
  return streaming;
}

function gram(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < rows; i++) {
    for (let p = 0; p < cols; p++) {
      const left = a[i * cols + p];
      for (let q = 0; q < cols; q++) g[p * cols + q] += left * a[i * cols + q];
    }
  }
  return g;
}

/** Returns max |R^T R - M^T M| / ||M||_F^2. */
function gramMismatch(r: Float64Array, m: ArrayLike<number>, rows: number, cols: number): number {
  const fromM = gram(m, rows, cols);
  const fromR = gram(r, cols, cols);
  let worst = 0;
  for (let i = 0; i < fromM.length; i++) worst = Math.max(worst, Math.abs(fromM[i] - fromR[i]));
  let frobeniusSquared = 0;
  for (let p = 0; p < cols; p++) frobeniusSquared += fromM[p * cols + p];
  return worst / frobeniusSquared;
}

/** Computes the upper Cholesky factor (positive diagonal) of a symmetric positive definite matrix, which is the R of a QR up to row signs. */
function cholesky(g: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = g[i * n + j];
      for (let t = 0; t < i; t++) sum -= r[t * n + i] * r[t * n + j];
      r[i * n + j] = i === j ? Math.sqrt(sum) : sum / r[i * n + i];
    }
  }
  return r;
}

function expectZeroRowsFrom(r: Float64Array, cols: number, firstZeroRow: number): void {
  for (let i = firstZeroRow; i < cols; i++) {
    expect(Array.from(r.subarray(i * cols, (i + 1) * cols), Math.abs)).toEqual(new Array(cols).fill(0));
  }
}

function expectSameSplit(actual: DependencySplit, expected: DependencySplit): void {
  expect(actual.rank).toBe(expected.rank);
  expect(actual.keptChannels).toEqual(expected.keptChannels);
  expect([...actual.dependentChannels].sort((x, y) => x - y)).toEqual([...expected.dependentChannels].sort((x, y) => x - y));
  const dependentCount = expected.dependentChannels.length;
  expected.dependentChannels.forEach((channel, expectedColumn) => {
    const column = actual.dependentChannels.indexOf(channel);
    let error = 0;
    let size = 0;
    for (let i = 0; i < expected.rank; i++) {
      const reference = expected.coefficients[i * dependentCount + expectedColumn];
      error += (actual.coefficients[i * dependentCount + column] - reference) ** 2;
      size += reference ** 2;
    }
    expect(Math.sqrt(error)).toBeLessThanOrEqual(1e-8 * Math.sqrt(size) + 1e-300);
  });
}

describe('StreamingR', () => {
  it('matches one-shot R up to row signs', () => {
    const rows = 300;
    const cols = 12;
    const m = randomFloat32(rows, cols, 21);
    const r = streamInBatches(m, cols, [5, 1, 37, 200, 57]).r();
    const reference = cholesky(gram(m, rows, cols), cols);
    for (let i = 0; i < cols; i++) {
      const sign = Math.sign(r[i * cols + i]);
      for (let j = 0; j < cols; j++) {
        expect(Math.abs(sign * r[i * cols + j] - reference[i * cols + j])).toBeLessThan(1e-10 * reference[0]);
      }
    }
  });

  it('splits like pivotedQr of the whole matrix', () => {
    const rows = 400;
    const cols = 12;
    const m = randomFloat32(rows, cols, 22);
    for (let i = 0; i < rows; i++) {
      const row = i * cols;
      m[row + 5] = 0.5 * m[row + 2];
      m[row + 7] = 2 * m[row + 3];
      m[row + 9] = 0;
      // Rounded to float32, so this channel is dependent only up to about 1e-7.
      m[row + 11] = m[row + 1] + m[row + 4];
    }
    const tolerance = 1e-5;
    const streamed = splitAtTolerance(pivotedQr(streamInBatches(m, cols, [3, 150, 1, 246]).r(), cols, cols), tolerance);
    const whole = splitAtTolerance(pivotedQr(Float64Array.from(m), rows, cols), tolerance);
    expect(whole.rank).toBe(8);
    expectSameSplit(streamed, whole);
  });

  it('zeroes rows beyond rowsSeen exactly', () => {
    const cols = 6;
    const m = randomFloat32(3, cols, 23);
    // Equal columns make the factorization rank-deficient inside the first batch.
    for (let i = 0; i < 3; i++) m[i * cols + 1] = m[i * cols];
    const streaming = new StreamingR(cols);
    streaming.addRows(m, 3);
    expect(streaming.rowsSeen).toBe(3);
    const r = streaming.r();
    expectZeroRowsFrom(r, cols, 3);
    expect(gramMismatch(r, m, 3, cols)).toBeLessThan(1e-14);
  });

  it('handles batches beyond one sub-batch', () => {
    const tall = randomFloat32(20000, 16, 24);
    const tallR = new StreamingR(16);
    tallR.addRows(tall, 20000);
    expect(tallR.rowsSeen).toBe(20000);
    expect(gramMismatch(tallR.r(), tall, 20000, 16)).toBeLessThan(1e-14);

    // 300 columns give sub-batches of 109 rows, fewer than cols.
    const wide = randomFloat32(250, 300, 25);
    const wideR = new StreamingR(300);
    wideR.addRows(wide, 250);
    const r = wideR.r();
    expectZeroRowsFrom(r, 300, 250);
    expect(gramMismatch(r, wide, 250, 300)).toBeLessThan(1e-14);
  });

  it('treats float32 and float64 input alike', () => {
    const m = randomFloat32(50, 7, 26);
    const single = new StreamingR(7);
    single.addRows(m, 50);
    const double = new StreamingR(7);
    double.addRows(Float64Array.from(m), 50);
    expect(single.r()).toEqual(double.r());
  });

  it('returns R as a copy', () => {
    const streaming = new StreamingR(2);
    streaming.addRows(Float32Array.from([3, 0, 4, 1]), 2);
    streaming.r().fill(7);
    expect(Math.abs(streaming.r()[0])).toBe(5);
  });

  it('rejects invalid shapes and values', () => {
    expect(() => new StreamingR(0)).toThrow(RangeError);
    const streaming = new StreamingR(3);
    expect(() => streaming.addRows(new Float32Array(5), 2)).toThrow(RangeError);
    expect(() => streaming.addRows(Float32Array.from([1, 2, Number.POSITIVE_INFINITY]), 1)).toThrow(RangeError);
    expect(streaming.rowsSeen).toBe(0);
  });
});
