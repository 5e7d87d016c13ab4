import type { DependencySplit } from '../../core/linalg/dependencySplit';

export interface DecayPoint {
  /** Pivot position k. */
  position: number;
  channel: number;
  /** |R_kk| / |R_00| as computed; 0 for a map with no new signal at all. */
  ratio: number;
  /** The ratio drawn on the log axis: zero cannot be drawn, so it sits at the axis floor. */
  plotted: number;
  kept: boolean;
}

export interface DecayChartData {
  points: DecayPoint[];
  /** Lower end of the log axis, a power of ten below every positive ratio and the tolerance. */
  floor: number;
}

/** Builds one point per pivot position of the |R_kk| / |R_00| curve. */
export function decayChartData(split: DependencySplit, pivots: ArrayLike<number>, tolerance: number): DecayChartData {
  const positive = Array.from(split.diagRatios).filter((ratio) => ratio > 0);
  if (tolerance > 0) positive.push(tolerance);
  const smallest = Math.min(1, ...positive);
  const floor = 10 ** (Math.floor(Math.log10(smallest)) - 1);
  const points = Array.from(split.diagRatios, (ratio, position) => ({
    position,
    channel: pivots[position],
    ratio,
    plotted: Math.max(ratio, floor),
    kept: position < split.rank,
  }));
  return { points, floor };
}

/** Powers of ten from `floor` to 1, for the log axis ticks. */
export function powerTicks(floor: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.round(Math.log10(floor)); exponent <= 0; exponent++) ticks.push(10 ** exponent);
  return ticks;
}
