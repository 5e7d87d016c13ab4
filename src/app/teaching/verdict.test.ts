import { describe, expect, it } from 'vitest';
import type { DependencySplit } from '../../core/linalg/dependencySplit';
import { rebuildVerdict } from './verdict';

function splitWith(residual: number, columnNorm = 1): DependencySplit {
  return { dependentChannels: [6], relativeResiduals: Float64Array.of(residual), columnNorms: Float64Array.of(columnNorm) } as DependencySplit;
}

describe('rebuildVerdict', () => {
  it('calls a tiny residual exact', () => {
    expect(rebuildVerdict(splitWith(1e-6), 0)).toContain('almost perfectly');
  });

  it('calls a small residual approximate', () => {
    expect(rebuildVerdict(splitWith(0.05), 0)).toContain('closely but not exactly');
  });

  it('calls a large residual poor', () => {
    expect(rebuildVerdict(splitWith(0.91), 0)).toContain('poorly');
  });

  it('names a dead filter', () => {
    expect(rebuildVerdict(splitWith(0, 0), 0)).toContain('silent');
  });
});
