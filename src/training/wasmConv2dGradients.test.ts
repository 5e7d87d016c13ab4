import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../core/testing/seededRandom';
import { relativeMaxDifference, valuesOnBackend, weightedSumGradients } from './gradientComparison';
import { registerWasmTrainingKernels } from './registerWasmTrainingKernels';
import { wasmConv2dBackpropFilterConfig } from './wasmConv2dBackpropFilter';
import { fastWasmConv2dBackpropInputConfig } from './wasmConv2dBackpropInput';

type Pad = tf.Conv2DAttrs['pad'];

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  roundingMode?: 'floor' | 'round' | 'ceil';
}

const cases: ConvCase[] = [
  { name: '3x3 same', x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 valid', x: [2, 9, 7, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'valid' },
  { name: '3x3 same stride 2, asymmetric padding', x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: '3x3 same stride 2, odd size', x: [1, 9, 9, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same' },
  { name: '3x3 valid strides [1, 2]', x: [2, 10, 11, 2], filter: [3, 3, 2, 3], strides: [1, 2], pad: 'valid' },
  { name: '2x2 same (pad only bottom and right)', x: [2, 6, 6, 3], filter: [2, 2, 3, 4], strides: 1, pad: 'same' },
  { name: '5x3 same', x: [2, 8, 7, 2], filter: [5, 3, 2, 3], strides: 1, pad: 'same' },
  { name: '1x1 valid', x: [3, 5, 5, 4], filter: [1, 1, 4, 6], strides: 1, pad: 'valid' },
  { name: '1x1 stride 2 (projection shortcut)', x: [2, 8, 8, 4], filter: [1, 1, 4, 6], strides: 2, pad: 'same' },
  { name: 'one input channel, 28x28', x: [2, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' },
  { name: 'numeric padding 1', x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 1 },
  { name: 'numeric padding 3, wider than the filter', x: [1, 5, 6, 2], filter: [3, 3, 2, 3], strides: 1, pad: 3 },
  { name: 'numeric padding 1, stride 2, floor rounding', x: [2, 8, 8, 2], filter: [3, 3, 2, 3], strides: 2, pad: 1, roundingMode: 'floor' },
  { name: 'explicit asymmetric padding', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: [[0, 0], [2, 0], [1, 2], [0, 0]] },
  { name: 'wide layer, 14x14 64 -> 32', x: [4, 14, 14, 64], filter: [3, 3, 64, 32], strides: 1, pad: 'same' },
];

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const next = seededUniform(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next), shape);
}

function conv(c: ConvCase): (x: tf.Tensor, w: tf.Tensor) => tf.Tensor {
  return (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad, 'NHWC', 1, c.roundingMode);
}

/** Computes dL/dx and dL/dw of a weighted sum of the convolution, with the same seeded inputs on every backend. */
function convGradients(c: ConvCase): tf.Tensor[] {
  const x = randomTensor(c.x, 1);
  const w = randomTensor(c.filter, 2);
  const weights = randomTensor(conv(c)(x, w).shape, 3);
  return weightedSumGradients(conv(c), x, w, weights);
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('conv2d gradients, wasm vs CPU', () => {
  it.each(cases)('$name', async (c) => {
    const [dxCpu, dwCpu] = await valuesOnBackend('cpu', () => convGradients(c));
    const [dxWasm, dwWasm] = await valuesOnBackend('wasm', () => convGradients(c));
    expect(relativeMaxDifference(dxWasm, dxCpu)).toBeLessThan(1e-5);
    expect(relativeMaxDifference(dwWasm, dwCpu)).toBeLessThan(1e-5);
  });
});

describe('fast Conv2DBackpropInput', () => {
  const backpropInput = (c: ConvCase, fallback: tf.KernelConfig): tf.Tensor => {
    const dy = randomTensor(tf.tidy(() => conv(c)(tf.zeros(c.x), tf.zeros(c.filter)).shape), 4);
    const filter = randomTensor(c.filter, 5);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.roundingMode, inputShape: c.x };
    const backend = tf.backend() as BackendWasm;
    const info = fastWasmConv2dBackpropInputConfig(fallback).kernelFunc({ inputs: { dy, filter }, backend, attrs: attrs as unknown as tf.NamedAttrMap });
    return tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
  };
  const failingFallback: tf.KernelConfig = {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc: () => {
      throw new Error('fallback used');
    },
  };

  it('handles stride-1 cases itself', async () => {
    await tf.setBackend('wasm');
    const own = cases.filter((c) => c.strides === 1 && c.name !== 'numeric padding 3, wider than the filter');
    for (const c of own) tf.dispose(backpropInput(c, failingFallback));
  });

  it('delegates strides and wide padding', async () => {
    await tf.setBackend('wasm');
    const handedOver = cases.filter((c) => c.strides !== 1 || c.name === 'numeric padding 3, wider than the filter');
    for (const c of handedOver) expect(() => backpropInput(c, failingFallback), c.name).toThrow('fallback used');
  });
});

describe('wasm Conv2DBackpropFilter', () => {
  it('rejects NCHW', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 5, 5]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] };
    const run = () => wasmConv2dBackpropFilterConfig.kernelFunc({ inputs: { x, dy }, backend: tf.backend(), attrs });
    expect(run).toThrow("supports dataFormat 'NHWC' only, got 'NCHW'. Transpose the input to channels-last.");
    tf.dispose([x, dy]);
  });

  it('rejects mismatched dy shape', async () => {
    await tf.setBackend('wasm');
    const c: ConvCase = { name: 'ceil', x: [1, 8, 8, 2], filter: [3, 3, 2, 3], strides: 2, pad: 1, roundingMode: 'ceil' };
    expect(() => tf.tidy(() => convGradients(c))).toThrow("got dy of shape [1, 5, 5, 3], but the strides and padding give [1, 4, 4, 3]. Use 'same' or 'valid' padding.");
  });

  it('frees its intermediates', async () => {
    await tf.setBackend('wasm');
    const before = (tf.backend() as BackendWasm).numDataIds();
    const c = cases[2];
    tf.dispose(tf.tidy(() => convGradients(c)));
    expect((tf.backend() as BackendWasm).numDataIds()).toBe(before);
  });
});
