import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/testing/seededRandom';
import type { FashionMnist, ImageSet } from './fashionMnist';
import { buildVgg } from './models';
import { useWasmForTraining } from './registerWasmTrainingKernels';
import { trainModel, type TrainingPlan } from './trainModel';

function syntheticSet(count: number, seed: number): ImageSet {
  const random = seededRandom(seed);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  // Class c lights up rows 2c..2c+5, plus noise, so a few steps already learn something.
  const pixels = Uint8Array.from({ length: count * 784 }, (_, p) => {
    const row = Math.floor((p % 784) / 28);
    const label = labels[Math.floor(p / 784)];
    return (row >= 2 * label && row < 2 * label + 6 ? 160 : 0) + Math.floor(random() * 90);
  });
  return { count, pixels, labels };
}

const data: FashionMnist = { train: syntheticSet(96, 1), test: syntheticSet(40, 2) };
const plan: TrainingPlan = { epochs: 2, batchSize: 16, learningRate: { peak: 3e-3, warmupSteps: 2, finalFraction: 0.1 }, shuffleSeed: 3, logEvery: 100 };

async function trainedWeights(shuffleSeed: number): Promise<Float32Array[]> {
  const model = buildVgg({ blocks: [[4], [6]] }, { seed: 5, weightDecay: 5e-4, scaleL1: 5e-4 });
  const records = await trainModel(model, data, { ...plan, shuffleSeed }, () => undefined);
  expect(records.map((record) => record.epoch)).toEqual([1, 2]);
  const weights = model.getWeights().map((weight) => weight.dataSync() as Float32Array);
  model.dispose();
  return weights;
}

beforeAll(async () => {
  await useWasmForTraining();
});

describe('trainModel on wasm', () => {
  it('is bit-reproducible per seed', async () => {
    const first = await trainedWeights(3);
    const second = await trainedWeights(3);
    const reshuffled = await trainedWeights(4);
    expect(second).toEqual(first);
    expect(reshuffled).not.toEqual(first);
  });

  it('keeps tensor count bounded', async () => {
    const model = buildVgg({ blocks: [[4]] }, { seed: 5, weightDecay: 5e-4, scaleL1: 0 });
    await trainModel(model, data, { ...plan, epochs: 1 }, () => undefined);
    const before = tf.memory().numTensors;
    await trainModel(model, data, { ...plan, epochs: 1 }, () => undefined);
    // A second compile makes a new optimizer; its Adam moments (two per trainable weight, plus two powers of beta) are all that may stay.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2 * model.trainableWeights.length + 2);
    model.dispose();
  });
});
