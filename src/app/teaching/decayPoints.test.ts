import { describe, expect, it } from 'vitest';
import type { DependencySplit } from '../../core/linalg/dependencySplit';
import { decayChartData, powerTicks } from './decayPoints';

const split = { rank: 2, diagRatios: Float64Array.from([1, 0.3, 0.004, 0]) } as DependencySplit;

describe('decayChartData', () => {
  it('labels each pivot with its channel and status', () => {
    const { points } = decayChartData(split, [3, 0, 2, 1], 1e-2);
    expect(points.map(({ channel }) => channel)).toEqual([3, 0, 2, 1]);
    expect(points.map(({ kept }) => kept)).toEqual([true, true, false, false]);
  });

  it('draws a zero ratio at the floor', () => {
    const { points, floor } = decayChartData(split, [3, 0, 2, 1], 1e-2);
    expect(floor).toBeCloseTo(1e-4, 12);
    expect(points[3].ratio).toBe(0);
    expect(points[3].plotted).toBe(floor);
  });

  it('keeps a small tolerance above the floor', () => {
    const { floor } = decayChartData(split, [3, 0, 2, 1], 1e-7);
    expect(floor).toBeCloseTo(1e-8, 16);
  });
});

describe('powerTicks', () => {
  it('lists powers of ten up to 1', () => {
    expect(powerTicks(1e-3)).toEqual([1e-3, 1e-2, 1e-1, 1]);
  });
});
