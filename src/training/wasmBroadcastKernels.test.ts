import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../core/testing/seededRandom';
import { relativeMaxDifference, valuesOnBackend } from './gradientComparison';
import { registerWasmTrainingKernels } from './registerWasmTrainingKernels';
import { broadcastTileConfig, outerProductPlan } from './wasmBroadcastTile';
import { leadingAxesCount, leadingAxesReductionConfig } from './wasmLeadingAxesReduction';

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const next = seededUniform(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next), shape);
}

/** Runs `compute` on the CPU and on wasm with the training kernels and returns both values. */
async function onBothBackends(compute: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  const [cpu] = await valuesOnBackend('cpu', () => [compute()]);
  const [wasm] = await valuesOnBackend('wasm', () => [compute()]);
  return [cpu, wasm];
}

const failingFallback = (kernelName: string): tf.KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: () => {
    throw new Error('fallback used');
  },
});

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('Tile, wasm vs CPU', () => {
  const cases: { shape: number[]; reps: number[] }[] = [
    { shape: [1, 1, 1, 16], reps: [8, 5, 5, 1] },
    { shape: [1, 7], reps: [3, 1] },
    { shape: [6, 1, 1], reps: [1, 4, 2] },
    { shape: [1, 1, 1], reps: [2, 3, 4] },
    { shape: [2, 3], reps: [2, 2] },
    { shape: [1, 4, 1], reps: [3, 1, 2] },
  ];

  it.each(cases)('shape $shape reps $reps', async ({ shape, reps }) => {
    const [cpu, wasm] = await onBothBackends(() => tf.tile(randomTensor(shape, 1), reps));
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
  });

  it('plans only pure broadcasts', () => {
    expect(outerProductPlan([1, 1, 1, 16], [8, 5, 5, 1])).toEqual({ repeatedFirst: true, copies: 200 });
    expect(outerProductPlan([6, 1, 1], [1, 4, 2])).toEqual({ repeatedFirst: false, copies: 8 });
    expect(outerProductPlan([2, 3], [2, 2])).toBeNull();
    expect(outerProductPlan([1, 4, 1], [3, 1, 2])).toBeNull();
    expect(outerProductPlan([1, 4], [1, 1])).toBeNull();
  });

  it('delegates int32 tiles', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([[1, 2]], [1, 2], 'int32');
    const run = () => broadcastTileConfig(failingFallback(tf.Tile)).kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: { reps: [3, 1] } });
    expect(run).toThrow('fallback used');
    x.dispose();
  });
});

describe('Sum and Mean, wasm vs CPU', () => {
  const cases: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
    { shape: [16, 14, 14, 24], axis: [0, 1, 2], keepDims: false },
    { shape: [16, 14, 14, 24], axis: [2, 0, 1], keepDims: true },
    { shape: [32, 10], axis: [0], keepDims: false },
    { shape: [4, 5, 6], axis: [0, 1], keepDims: true },
    { shape: [4, 5, 6], axis: [1, 2], keepDims: false },
    { shape: [4, 5, 6], axis: [0, 1, 2], keepDims: false },
  ];

  it.each(cases)('axes $axis of $shape, keepDims $keepDims', async ({ shape, axis, keepDims }) => {
    const [sumCpu, sumWasm] = await onBothBackends(() => tf.sum(randomTensor(shape, 2), axis, keepDims));
    const [meanCpu, meanWasm] = await onBothBackends(() => tf.mean(randomTensor(shape, 3), axis, keepDims));
    expect(relativeMaxDifference(sumWasm, sumCpu)).toBeLessThan(1e-5);
    expect(relativeMaxDifference(meanWasm, meanCpu)).toBeLessThan(1e-5);
  });

  it('keeps tfjs output shapes', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3, 4]);
    expect(tf.sum(x, [0, 1], true).shape).toEqual([1, 1, 4]);
    expect(tf.mean(x, [0, 1]).shape).toEqual([4]);
    x.dispose();
  });

  it('counts only leading axes', () => {
    expect(leadingAxesCount([4, 5, 6, 7], [0, 1, 2])).toBe(3);
    expect(leadingAxesCount([4, 5, 6, 7], [-4, 1])).toBe(2);
    expect(leadingAxesCount([4, 5, 6, 7], [1, 2])).toBe(0);
    expect(leadingAxesCount([4, 5, 6, 7], [0, 1, 2, 3])).toBe(0);
  });

  it('delegates int32 sums', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32');
    const config = leadingAxesReductionConfig(tf.Sum, failingFallback(tf.Sum));
    expect(() => config.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: { axis: [0], keepDims: false } })).toThrow('fallback used');
    x.dispose();
  });

  it('frees their intermediates', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const x = tf.ones([4, 3, 3, 5]);
    const before = backend.numDataIds();
    tf.tidy(() => [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2]), tf.tile(tf.ones([1, 5]), [7, 1])]).forEach((t) => t.dispose());
    expect(backend.numDataIds()).toBe(before);
    x.dispose();
  });
});
