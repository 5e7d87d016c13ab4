import * as tf from '@tensorflow/tfjs';
import type { ActivationName, ReluNode } from '../graph/types';

/** Applies an activation with Keras semantics (softmax over the last axis). */
export function applyActivation(x: tf.Tensor, name: ActivationName): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardSigmoid':
      // Keras 2 definition: clip(0.2 x + 0.5, 0, 1).
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'tanh':
      return tf.tanh(x);
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.div(x, tf.add(tf.abs(x), 1));
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    case 'leakyRelu':
      // keras.activations.leaky_relu defaults to negative_slope 0.2 (Keras 3).
      return tf.leakyRelu(x, 0.2);
    case 'gelu':
      // Exact GELU, x * Phi(x), which is Keras' default (approximate=False).
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1));
    case 'softmax':
      return tf.softmax(x);
    case 'logSoftmax':
      return tf.logSoftmax(x);
  }
}

/** Keras `ReLU` layer: maxValue above it, x from threshold up, negativeSlope * (x - threshold) below. */
export function applyKerasRelu(x: tf.Tensor, node: ReluNode): tf.Tensor {
  const below = node.negativeSlope === 0 ? tf.zerosLike(x) : tf.mul(tf.sub(x, node.threshold), node.negativeSlope);
  let result = tf.where(tf.greaterEqual(x, node.threshold), x, below);
  if (node.maxValue !== null) result = tf.minimum(result, node.maxValue);
  return result;
}
