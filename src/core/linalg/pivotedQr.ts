/** Result of QR with column pivoting, A P = Q R. */
export interface PivotedQr {
  rows: number;
  cols: number;
  /** Upper-triangular R, min(rows, cols) x cols, row-major. */
  r: Float64Array;
  /** pivots[j] = original column index placed at position j. */
  pivots: Int32Array;
}

/** Householder reflector H = I - tau v v^T with v[0] = 1, as LAPACK dlarfg builds it. */
export interface Reflector {
  /** Leading entry of H [alpha; x], which becomes the diagonal entry of R. */
  beta: number;
  tau: number;
}

// dlaqp2 recomputes a downdated partial norm once it has lost about half of
// its digits. TOL3Z = sqrt(DLAMCH('Epsilon')), where DLAMCH('Epsilon') is the
// unit roundoff 2^-53.
const TOL3Z = Math.sqrt(Number.EPSILON / 2);

// Below this sum of squares, squares of small entries may have underflowed.
const MIN_SAFE_SUM_OF_SQUARES = 1e-280;

/** Computes the Euclidean norm of x[start:end] without overflow or harmful underflow. */
export function norm2(x: Float64Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += x[i] * x[i];
  if (sum > MIN_SAFE_SUM_OF_SQUARES && sum < Infinity) return Math.sqrt(sum);
  return scaledNorm2(x, start, end);
}

function scaledNorm2(x: Float64Array, start: number, end: number): number {
  let scale = 0;
  let ssq = 1;
  for (let i = start; i < end; i++) {
    const value = Math.abs(x[i]);
    if (value === 0) continue;
    if (scale < value) {
      ssq = 1 + ssq * (scale / value) ** 2;
      scale = value;
    } else {
      ssq += (value / scale) ** 2;
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Builds the reflector that maps [alpha; x] to [beta; 0] (LAPACK dlarfg).
 * Overwrites x[start:end] with v[1:]. beta = -sign(alpha) * ||[alpha; x]||, so
 * diagonal entries of R may be negative.
 * NOTE: dlarfg's rescaling for |beta| below 2^-969 is not ported, so such
 * tiny columns lose precision to subnormal arithmetic.
 */
export function householderReflector(alpha: number, x: Float64Array, start: number, end: number): Reflector {
  const xNorm = norm2(x, start, end);
  if (xNorm === 0) return { beta: alpha, tau: 0 };
  const length = Math.hypot(alpha, xNorm);
  // dlarfg takes -SIGN(length, alpha), and gfortran's default -fsign-zero makes SIGN treat -0 as negative.
  const beta = alpha < 0 || Object.is(alpha, -0) ? length : -length;
  const scale = 1 / (alpha - beta);
  for (let i = start; i < end; i++) x[i] *= scale;
  return { beta, tau: (beta - alpha) / beta };
}

/** Throws a RangeError unless a is a finite row-major rows x cols matrix. */
export function checkMatrix(a: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`matrix shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  if (a.length !== rows * cols) {
    throw new RangeError(`matrix data has ${a.length} entries, expected ${rows} x ${cols} = ${rows * cols}`);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      throw new RangeError(`matrix entry (${Math.floor(i / cols)}, ${i % cols}) is ${a[i]}, expected a finite number`);
    }
  }
}

/**
 * Factors A P = Q R by Householder QR with column pivoting, mirroring LAPACK
 * dgeqp3 with all columns free. It ports the unblocked dlaqp2 path, which
 * dgeqp3 takes for min(rows, cols) <= 128 under reference ILAENV (crossover
 * NX = 128). Exact ties go to the lowest column index. a is row-major
 * rows x cols and is not modified.
 */
export function pivotedQr(a: Float64Array, rows: number, cols: number): PivotedQr {
  checkMatrix(a, rows, cols);
  const work = toColumnMajor(a, rows, cols);
  const pivots = new Int32Array(cols);
  const partialNorms = new Float64Array(cols);
  const referenceNorms = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    pivots[j] = j;
    partialNorms[j] = norm2(work, j * rows, (j + 1) * rows);
    referenceNorms[j] = partialNorms[j];
  }
  const steps = Math.min(rows, cols);
  for (let k = 0; k < steps; k++) {
    const pivot = indexOfMax(partialNorms, k, cols);
    if (pivot !== k) {
      swapColumns(work, rows, k, pivot);
      [pivots[k], pivots[pivot]] = [pivots[pivot], pivots[k]];
      partialNorms[pivot] = partialNorms[k];
      referenceNorms[pivot] = referenceNorms[k];
    }
    const column = k * rows;
    const { beta, tau } = householderReflector(work[column + k], work, column + k + 1, column + rows);
    work[column + k] = beta;
    applyReflector(work, rows, cols, k, tau);
    downdateNorms(work, rows, cols, k, partialNorms, referenceNorms);
  }
  return { rows, cols, r: upperTriangle(work, rows, cols, steps), pivots };
}

function toColumnMajor(a: Float64Array, rows: number, cols: number): Float64Array {
  const work = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) work[j * rows + i] = a[i * cols + j];
  }
  return work;
}

/** Returns the first index of the maximum of x[start:end] (BLAS idamax on non-negative values). */
function indexOfMax(x: Float64Array, start: number, end: number): number {
  let best = start;
  for (let i = start + 1; i < end; i++) {
    if (x[i] > x[best]) best = i;
  }
  return best;
}

function swapColumns(work: Float64Array, rows: number, first: number, second: number): void {
  for (let i = 0; i < rows; i++) {
    const temp = work[first * rows + i];
    work[first * rows + i] = work[second * rows + i];
    work[second * rows + i] = temp;
  }
}

/** Applies H_k from the left to columns k+1.. of the trailing rows k.. (LAPACK dlarf). */
function applyReflector(work: Float64Array, rows: number, cols: number, k: number, tau: number): void {
  if (tau === 0) return;
  const v = k * rows;
  for (let j = k + 1; j < cols; j++) {
    const c = j * rows;
    let w = work[c + k];
    for (let i = k + 1; i < rows; i++) w += work[v + i] * work[c + i];
    w *= tau;
    work[c + k] -= w;
    for (let i = k + 1; i < rows; i++) work[c + i] -= w * work[v + i];
  }
}

/**
 * Downdates the partial norms of columns k+1.. after step k, with dlaqp2's
 * rule: once the downdated value has cancelled too far relative to the
 * last exactly computed one, recompute it from the trailing rows.
 */
function downdateNorms(
  work: Float64Array,
  rows: number,
  cols: number,
  k: number,
  partialNorms: Float64Array,
  referenceNorms: Float64Array,
): void {
  for (let j = k + 1; j < cols; j++) {
    if (partialNorms[j] === 0) continue;
    const ratio = Math.abs(work[j * rows + k]) / partialNorms[j];
    const remaining = Math.max(0, 1 - ratio * ratio);
    const drift = remaining * (partialNorms[j] / referenceNorms[j]) ** 2;
    if (drift <= TOL3Z) {
      partialNorms[j] = norm2(work, j * rows + k + 1, (j + 1) * rows);
      referenceNorms[j] = partialNorms[j];
    } else {
      partialNorms[j] *= Math.sqrt(remaining);
    }
  }
}

function upperTriangle(work: Float64Array, rows: number, cols: number, steps: number): Float64Array {
  const r = new Float64Array(steps * cols);
  for (let i = 0; i < steps; i++) {
    for (let j = i; j < cols; j++) r[i * cols + j] = work[j * rows + i];
  }
  return r;
}
