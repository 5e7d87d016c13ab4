import { describe, expect, it } from 'vitest';
import type { LayerDependencies } from '../../core/analysis/layerDependencies';
import type { DependencySplit } from '../../core/linalg/dependencySplit';
import { chainLayer } from '../../core/testing/syntheticModels';
import { defaultLayerIndex, resolveDependentIndex, resolveLayerIndex } from './selection';

function layerWith(producer: string, dependentChannels: number[]): LayerDependencies {
  const split = { dependentChannels } as DependencySplit;
  return { layer: chainLayer({ producer, channels: 4, path: [], tap: producer, consumer: 'next', consumerKind: 'conv2d', kernelPositions: 9 }), split };
}

describe('defaultLayerIndex', () => {
  it('prefers the first layer with a dependent channel', () => {
    expect(defaultLayerIndex([layerWith('a', []), layerWith('b', [3]), layerWith('c', [1])])).toBe(1);
  });

  it('falls back to the first layer', () => {
    expect(defaultLayerIndex([layerWith('a', []), layerWith('b', [])])).toBe(0);
  });
});

describe('resolveLayerIndex', () => {
  it('keeps a known choice', () => {
    expect(resolveLayerIndex([layerWith('a', []), layerWith('b', [3])], 'a')).toBe(0);
  });

  it('replaces an unknown choice by the default', () => {
    expect(resolveLayerIndex([layerWith('a', []), layerWith('b', [3])], 'gone')).toBe(1);
  });
});

describe('resolveDependentIndex', () => {
  it('finds the chosen channel', () => {
    expect(resolveDependentIndex([6, 2], 2)).toBe(1);
  });

  it('falls back to the first dependent channel', () => {
    expect(resolveDependentIndex([6, 2], 5)).toBe(0);
    expect(resolveDependentIndex([6, 2], null)).toBe(0);
  });

  it('returns null without dependent channels', () => {
    expect(resolveDependentIndex([], 6)).toBeNull();
  });

  it('prefers a filter whose map is not all zero', () => {
    expect(resolveDependentIndex([6, 2, 4], null, [0, 0, 1.5])).toBe(2);
    expect(resolveDependentIndex([6, 2], null, [0, 0])).toBe(0);
  });
});
