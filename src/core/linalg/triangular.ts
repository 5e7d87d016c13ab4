/**
 * Solves R X = B by back substitution for upper-triangular R (k x k, the
 * leading block of a row-major matrix with row stride ldr); B is k x nrhs
 * row-major and is not modified.
 * A zero diagonal entry R[i, i] sets row i of X to 0 instead of dividing by
 * zero, and the rows above then use that 0. X then solves the system only if
 * the equations of those rows hold with X[i, :] = 0 (for example when they are
 * all zero).
 */
export function solveUpperTriangular(
  r: Float64Array,
  ldr: number,
  k: number,
  b: Float64Array,
  nrhs: number,
): Float64Array {
  checkShapes(r, ldr, k, b, nrhs);
  const x = Float64Array.from(b);
  for (let i = k - 1; i >= 0; i--) {
    const row = i * nrhs;
    const diagonal = r[i * ldr + i];
    if (diagonal === 0) {
      x.fill(0, row, row + nrhs);
      continue;
    }
    for (let t = i + 1; t < k; t++) {
      const factor = r[i * ldr + t];
      if (factor === 0) continue;
      const solved = t * nrhs;
      for (let c = 0; c < nrhs; c++) x[row + c] -= factor * x[solved + c];
    }
    for (let c = 0; c < nrhs; c++) x[row + c] /= diagonal;
  }
  return x;
}

function checkShapes(r: Float64Array, ldr: number, k: number, b: Float64Array, nrhs: number): void {
  for (const [name, value] of [['ldr', ldr], ['k', k], ['nrhs', nrhs]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  if (k > 0 && ldr < k) throw new RangeError(`row stride ldr = ${ldr} is smaller than k = ${k}`);
  if (k > 0 && r.length < (k - 1) * ldr + k) {
    throw new RangeError(`r has ${r.length} entries, too few for a ${k} x ${k} block with row stride ${ldr}`);
  }
  if (b.length !== k * nrhs) throw new RangeError(`b has ${b.length} entries, expected ${k} x ${nrhs} = ${k * nrhs}`);
}
