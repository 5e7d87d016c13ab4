import * as tf from '@tensorflow/tfjs';

/** Computes the maximum absolute difference between two arrays, relative to the maximum absolute value of `expected`. */
export function relativeMaxDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`Arrays differ in length: ${actual.length} vs ${expected.length}.`);
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  if (scale === 0) throw new Error('The expected values are all zero, so the relative difference is undefined. Use inputs that give nonzero values.');
  return difference / scale;
}

/** Runs `compute` on the named backend and returns the values of its tensors, in order. */
export async function valuesOnBackend(backendName: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (!(await tf.setBackend(backendName))) throw new Error(`TensorFlow.js could not start the '${backendName}' backend.`);
  const tensors = tf.tidy(compute);
  const values = await Promise.all(tensors.map(async (tensor) => (await tensor.data()) as Float32Array));
  tf.dispose(tensors);
  return values;
}

/** Computes the gradients of sum(f(x, w) * weights) with respect to x and w. The weights make every output count differently. */
export function weightedSumGradients(f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor, weights: tf.Tensor): tf.Tensor[] {
  return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), weights)))([x, w]);
}
