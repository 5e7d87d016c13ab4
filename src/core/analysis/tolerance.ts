/**
 * Default relative tolerance of the rank rule |R_kk| > tolerance * |R_00|.
 * Feature maps are computed in float32 (unit roundoff 6e-8), so an exact
 * dependency leaves |R_kk| / |R_00| near 1e-7 or below; 1e-5 counts those and
 * nothing that is only approximately dependent.
 */
export const DEFAULT_TOLERANCE = 1e-5;

export const TOLERANCE_RULE = 'a channel is kept while |R_kk| > tolerance x |R_00| in pivot order; the first that fails and all after it are dependent';
