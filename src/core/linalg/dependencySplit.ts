import { norm2, type PivotedQr } from './pivotedQr';
import { solveUpperTriangular } from './triangular';

export interface DependencySplit {
  cols: number;
  rank: number;
  /** Original channel indices of the first `rank` pivots, in pivot order. */
  keptChannels: number[];
  /** Original channel indices of the remaining pivots, in pivot order. */
  dependentChannels: number[];
  /** |R_kk| / |R_00| for every pivot position k (length cols); all 0 when R_00 = 0. */
  diagRatios: Float64Array;
  /** Per dependent channel: ||R[rank:, j]|| / ||R[:, j]|| (relative least-squares residual of reconstructing it from the kept channels); 0 for an all-zero column. */
  relativeResiduals: Float64Array;
  /** Per dependent channel: ||M[:, channel]|| (0 means a dead channel). */
  columnNorms: Float64Array;
  /** T, rank x dependentChannels.length, row-major: M[:, dependent[j]] ~= sum_i T[i, j] * M[:, kept[i]]. */
  coefficients: Float64Array;
}

/**
 * Splits channels at a tolerance. Rule: position k is kept while |R_kk| > tolerance * |R_00|
 * (rank = first k that fails); rank is at least 1 so a layer is never emptied; with
 * R_00 = 0 the first pivot is kept and the rest are dependent with zero coefficients.
 * Positions k >= min(rows, cols) have no diagonal entry and count as 0. Throws a
 * RangeError for a negative or NaN tolerance or an inconsistent qr.
 */
export function splitAtTolerance(qr: PivotedQr, tolerance: number): DependencySplit {
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be >= 0, got ${tolerance}`);
  const { cols, r, pivots } = qr;
  const diagonalCount = Math.min(qr.rows, cols);
  if (r.length !== diagonalCount * cols || pivots.length !== cols) {
    throw new RangeError(`qr has r of length ${r.length} and ${pivots.length} pivots, expected a ${diagonalCount} x ${cols} R`);
  }
  const leadingDiagonal = diagonalCount > 0 ? Math.abs(r[0]) : 0;
  const diagRatios = diagonalRatios(r, cols, diagonalCount, leadingDiagonal);
  const rank = rankAtTolerance(r, cols, diagonalCount, tolerance * leadingDiagonal);
  const dependentCount = cols - rank;
  const relativeResiduals = new Float64Array(dependentCount);
  const columnNorms = new Float64Array(dependentCount);
  const column = new Float64Array(diagonalCount);
  for (let d = 0; d < dependentCount; d++) {
    const height = copyColumn(r, cols, diagonalCount, rank + d, column);
    columnNorms[d] = norm2(column, 0, height);
    relativeResiduals[d] = columnNorms[d] === 0 ? 0 : norm2(column, Math.min(rank, height), height) / columnNorms[d];
  }
  return {
    cols,
    rank,
    keptChannels: Array.from(pivots.subarray(0, rank)),
    dependentChannels: Array.from(pivots.subarray(rank)),
    diagRatios,
    relativeResiduals,
    columnNorms,
    coefficients: dependencyCoefficients(r, cols, rank, leadingDiagonal === 0),
  };
}

function diagonalRatios(r: Float64Array, cols: number, diagonalCount: number, leadingDiagonal: number): Float64Array {
  const ratios = new Float64Array(cols);
  if (leadingDiagonal === 0) return ratios;
  for (let k = 0; k < diagonalCount; k++) ratios[k] = Math.abs(r[k * cols + k]) / leadingDiagonal;
  return ratios;
}

/** Counts the leading |R_kk| above threshold, but at least 1 (0 only for a matrix without columns). */
function rankAtTolerance(r: Float64Array, cols: number, diagonalCount: number, threshold: number): number {
  let rank = 0;
  while (rank < diagonalCount && Math.abs(r[rank * cols + rank]) > threshold) rank++;
  return Math.min(Math.max(rank, 1), cols);
}

/** Copies the stored part of column j of R into out and returns its height min(j + 1, diagonalCount). */
function copyColumn(r: Float64Array, cols: number, diagonalCount: number, j: number, out: Float64Array): number {
  const height = Math.min(j + 1, diagonalCount);
  for (let i = 0; i < height; i++) out[i] = r[i * cols + j];
  return height;
}

/** Returns T = R11^-1 R12, or zeros when R_00 = 0 because then every column of M is zero. */
function dependencyCoefficients(r: Float64Array, cols: number, rank: number, zeroMatrix: boolean): Float64Array {
  const dependentCount = cols - rank;
  const rhs = new Float64Array(rank * dependentCount);
  if (zeroMatrix) return rhs;
  for (let i = 0; i < rank; i++) {
    for (let d = 0; d < dependentCount; d++) rhs[i * dependentCount + d] = r[i * cols + rank + d];
  }
  return solveUpperTriangular(r, cols, rank, rhs, dependentCount);
}
