import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './registerWasmTrainingKernels';

describe('registerWasmTrainingKernels', () => {
  it('works after the backend starts', async () => {
    // Registration after start is the order the other test files do not cover: the originals were set up at start.
    expect(await tf.setBackend('wasm')).toBe(true);
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();

    const x = tf.ones([1, 6, 6, 2]);
    const w = tf.ones([3, 3, 2, 3]);
    // Stride 2 sends the input gradient to the original Conv2DBackpropInput, which needs its setup.
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]);
    expect(dx.shape).toEqual([1, 6, 6, 2]);
    // 'same' with stride 2 on 6 pixels pads only the far edge, so taps 0 and 1 meet 3 input rows or columns and tap 2 meets 2.
    const hits = [3, 3, 2];
    const expected = hits.flatMap((rows) => hits.flatMap((columns) => new Array<number>(6).fill(rows * columns)));
    expect(Array.from(await dw.data())).toEqual(expected);
    expect(Array.from(await tf.sum(tf.ones([4, 3, 2]), [0, 1]).data())).toEqual([12, 12]);
  });
});
