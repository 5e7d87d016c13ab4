import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../core/testing/seededRandom';
import { FASHION_MNIST_CLASSES, IMAGE_SIZE, type ImageSet } from './fashionMnist';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Shuffles 0..count-1 (Fisher-Yates) with a seeded generator, so every run trains on the same batches. */
export function seededPermutation(count: number, seed: number): Uint32Array {
  const random = seededRandom(seed);
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Builds a [n, 28, 28, 1] batch of images `indices` of `set`, scaled by 1/255 (the workbench's 'unit' scaling). */
export function imageBatch(set: ImageSet, indices: ArrayLike<number>): tf.Tensor4D {
  const values = new Float32Array(indices.length * PIXELS);
  for (let i = 0; i < indices.length; i++) {
    const source = set.pixels.subarray(indices[i] * PIXELS, (indices[i] + 1) * PIXELS);
    for (let p = 0; p < PIXELS; p++) values[i * PIXELS + p] = source[p] / 255;
  }
  return tf.tensor4d(values, [indices.length, IMAGE_SIZE, IMAGE_SIZE, 1]);
}

/** Builds the one-hot labels of images `indices`. */
export function labelBatch(set: ImageSet, indices: ArrayLike<number>): tf.Tensor2D {
  const values = new Float32Array(indices.length * FASHION_MNIST_CLASSES.length);
  for (let i = 0; i < indices.length; i++) values[i * FASHION_MNIST_CLASSES.length + set.labels[indices[i]]] = 1;
  return tf.tensor2d(values, [indices.length, FASHION_MNIST_CLASSES.length]);
}

/** Returns the indices start..end-1. */
export function range(start: number, end: number): Uint32Array {
  return Uint32Array.from({ length: end - start }, (_, i) => start + i);
}
