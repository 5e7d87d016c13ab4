import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../core/testing/seededRandom';
import { relativeMaxDifference, valuesOnBackend } from './gradientComparison';
import { buildResnet, buildVgg } from './models';
import { registerWasmTrainingKernels } from './registerWasmTrainingKernels';

const options = { seed: 11, weightDecay: 5e-4, scaleL1: 5e-4 };

/** Builds a fixed batch of 8 images in 0..1 with one-hot labels. */
function batch(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const next = seededUniform(5);
  const x = tf.tensor4d(Float32Array.from({ length: 8 * 28 * 28 }, () => (next() + 1) / 2), [8, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 9], 'int32'), 10) as tf.Tensor2D;
  return { x, y };
}

/**
 * Computes the gradients of the training loss, with batch norm on batch
 * statistics, for every trainable weight in the model's weight order. They
 * take every gradient kernel that the demo models use together: conv, batch
 * norm, ReLU, max pool, Add, global average pooling, Dense and softmax
 * cross-entropy.
 */
function lossGradients(model: tf.LayersModel): tf.Tensor[] {
  const { x, y } = batch();
  const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const { grads } = tf.variableGrads(loss, variables);
  return variables.map((variable) => grads[variable.name]);
}

beforeAll(() => {
  registerWasmTrainingKernels();
});

describe('model gradients, wasm vs CPU', () => {
  const models: [string, () => tf.LayersModel][] = [
    ['VGG', () => buildVgg({ blocks: [[8], [8], [8, 8]] }, options)],
    ['ResNet', () => buildResnet({ stem: 8, stages: [8, 16], blocksPerStage: 1 }, options)],
  ];

  it.each(models)('%s', async (_, build) => {
    await tf.setBackend('cpu');
    const model = build();
    const names = model.trainableWeights.map((weight) => weight.name);
    const cpu = await valuesOnBackend('cpu', () => lossGradients(model));
    const wasm = await valuesOnBackend('wasm', () => lossGradients(model));
    names.forEach((name, i) => expect(relativeMaxDifference(wasm[i], cpu[i]), name).toBeLessThan(1e-4));
    model.dispose();
  });
});
