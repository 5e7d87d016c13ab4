import { checkMatrix, householderReflector } from './pivotedQr';

// Float64 entries per internal sub-batch (256 KiB), which bounds the working
// copy for any batch size. Sizes from 2^12 to 2^19 ran within 10% of each
// other in Node 20.20 on x86-64, so the choice is not critical.
const SUB_BATCH_ENTRIES = 1 << 15;

/**
 * Accumulates the R factor of a tall matrix fed in row batches (TSQR update), in Float64.
 * Each batch replaces R by the R of [R; batch], so R^T R stays equal to M^T M for
 * the rows M seen so far, and memory stays O(cols^2) plus one sub-batch.
 */
export class StreamingR {
  readonly cols: number;
  private seen = 0;
  /** Number of leading rows of R that may be nonzero: min(rowsSeen, cols). */
  private filledRows = 0;
  private readonly rMatrix: Float64Array;
  private readonly subBatchRows: number;
  private readonly subBatch: Float64Array;

  constructor(cols: number) {
    if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`cols must be a positive integer, got ${cols}`);
    this.cols = cols;
    this.rMatrix = new Float64Array(cols * cols);
    this.subBatchRows = Math.max(1, Math.floor(SUB_BATCH_ENTRIES / cols));
    this.subBatch = new Float64Array(this.subBatchRows * cols);
  }

  get rowsSeen(): number {
    return this.seen;
  }

  /**
   * data is row-major rows x cols (float32 feature maps arrive as Float32Array).
   * Throws a RangeError, before changing any state, for a length mismatch or a non-finite entry.
   */
  addRows(data: Float32Array | Float64Array, rows: number): void {
    checkMatrix(data, rows, this.cols);
    for (let first = 0; first < rows; first += this.subBatchRows) {
      const count = Math.min(this.subBatchRows, rows - first);
      this.loadSubBatch(data, first, count);
      this.absorbSubBatch(count);
      this.seen += count;
    }
  }

  /**
   * Returns a copy of R, cols x cols row-major upper-triangular. Rows from
   * rowsSeen on are exactly zero while fewer rows than cols were seen.
   */
  r(): Float64Array {
    return this.rMatrix.slice();
  }

  /** Copies rows first..first+count-1 of data into subBatch, column-major with column stride count. */
  private loadSubBatch(data: Float32Array | Float64Array, first: number, count: number): void {
    const n = this.cols;
    for (let i = 0; i < count; i++) {
      const source = (first + i) * n;
      for (let j = 0; j < n; j++) this.subBatch[j * count + i] = data[source + j];
    }
  }

  /**
   * Householder QR of the stacked [R[0:p]; B] with p = filledRows, as LAPACK
   * dgeqr2 would run it but skipping R's known zeros. For column k < p the
   * reflector touches only R row k and all of B. For k >= p (fewer than cols
   * rows seen) it starts at B row k - p, which then becomes R row k.
   */
  private absorbSubBatch(count: number): void {
    const n = this.cols;
    const p = this.filledRows;
    const b = this.subBatch;
    const newFilled = Math.min(p + count, n);
    for (let k = 0; k < newFilled; k++) {
      const head: RowView = k < p ? { data: this.rMatrix, base: k * n, stride: 1 } : { data: b, base: k - p, stride: count };
      const tailStart = k < p ? 0 : k - p + 1;
      const v = k * count;
      const diagonal = head.base + k * head.stride;
      const { beta, tau } = householderReflector(head.data[diagonal], b, v + tailStart, v + count);
      head.data[diagonal] = beta;
      if (tau !== 0) reflectColumns(b, count, k, tailStart, tau, head, n);
    }
    for (let k = p; k < newFilled; k++) {
      for (let j = k; j < n; j++) this.rMatrix[k * n + j] = b[j * count + k - p];
    }
    this.filledRows = newFilled;
  }
}

/** Row k of the stacked matrix: entry j is data[base + j * stride]. */
interface RowView {
  data: Float64Array;
  base: number;
  stride: number;
}

/**
 * Applies the reflector of column k (v = [1; b[tailStart:count, k]]) to
 * columns k+1.. of the stacked rows [head; b[tailStart:count, :]] (LAPACK dlarf).
 * Four columns per pass share each load of v and give independent sums. That
 * ran 1.7x to 1.9x faster than one column per pass for 64 to 512 columns
 * (Node 20.20, one x86-64 core).
 */
function reflectColumns(b: Float64Array, count: number, k: number, tailStart: number, tau: number, head: RowView, n: number): void {
  const v = k * count;
  const { data, base, stride } = head;
  let j = k + 1;
  for (; j + 3 < n; j += 4) {
    const c0 = j * count;
    const c1 = c0 + count;
    const c2 = c1 + count;
    const c3 = c2 + count;
    const h0 = base + j * stride;
    let w0 = data[h0];
    let w1 = data[h0 + stride];
    let w2 = data[h0 + 2 * stride];
    let w3 = data[h0 + 3 * stride];
    for (let i = tailStart; i < count; i++) {
      const vi = b[v + i];
      w0 += vi * b[c0 + i];
      w1 += vi * b[c1 + i];
      w2 += vi * b[c2 + i];
      w3 += vi * b[c3 + i];
    }
    w0 *= tau;
    w1 *= tau;
    w2 *= tau;
    w3 *= tau;
    data[h0] -= w0;
    data[h0 + stride] -= w1;
    data[h0 + 2 * stride] -= w2;
    data[h0 + 3 * stride] -= w3;
    for (let i = tailStart; i < count; i++) {
      const vi = b[v + i];
      b[c0 + i] -= w0 * vi;
      b[c1 + i] -= w1 * vi;
      b[c2 + i] -= w2 * vi;
      b[c3 + i] -= w3 * vi;
    }
  }
  for (; j < n; j++) {
    const c = j * count;
    const h = base + j * stride;
    let w = data[h];
    for (let i = tailStart; i < count; i++) w += b[v + i] * b[c + i];
    w *= tau;
    data[h] -= w;
    for (let i = tailStart; i < count; i++) b[c + i] -= w * b[v + i];
  }
}
