import * as tf from '@tensorflow/tfjs';
import { evaluateAccuracy } from './evaluateAccuracy';
import type { FashionMnist } from './fashionMnist';
import { imageBatch, labelBatch, seededPermutation } from './imageBatches';
import { learningRateAt, type LearningRateSchedule } from './learningRateSchedule';
import { ScheduledAdam } from './scheduledAdam';

export interface TrainingPlan {
  epochs: number;
  batchSize: number;
  /** Peak rate, warm-up and final fraction. The total step count follows from epochs and batch size. */
  learningRate: Omit<LearningRateSchedule, 'totalSteps'>;
  /** Seed of the shuffle of epoch 1. Epoch e uses shuffleSeed + e - 1. */
  shuffleSeed: number;
  /** Number of steps between progress lines. */
  logEvery: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
}

/**
 * Trains `model` with Adam on categorical cross-entropy plus the layers'
 * penalties, on shuffled mini-batches of the training set, and measures test
 * accuracy after every epoch. This loop builds the batches because model.fit
 * shuffles with the unseeded Math.random. The last partial batch of each epoch
 * is dropped, so every step has the same shape.
 */
export async function trainModel(model: tf.LayersModel, data: FashionMnist, plan: TrainingPlan, log: (line: string) => void): Promise<EpochRecord[]> {
  const stepsPerEpoch = Math.floor(data.train.count / plan.batchSize);
  const schedule: LearningRateSchedule = { ...plan.learningRate, totalSteps: stepsPerEpoch * plan.epochs };
  const optimizer = new ScheduledAdam(schedule.peak, 0.9, 0.999);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const records: EpochRecord[] = [];
  for (let epoch = 1; epoch <= plan.epochs; epoch++) {
    const started = performance.now();
    const order = seededPermutation(data.train.count, plan.shuffleSeed + epoch - 1);
    const totals = { loss: 0, accuracy: 0 };
    for (let step = 0; step < stepsPerEpoch; step++) {
      const globalStep = (epoch - 1) * stepsPerEpoch + step;
      optimizer.setLearningRate(learningRateAt(schedule, globalStep));
      const [loss, accuracy] = await trainStep(model, data, order.subarray(step * plan.batchSize, (step + 1) * plan.batchSize));
      totals.loss += loss;
      totals.accuracy += accuracy;
      if ((step + 1) % plan.logEvery === 0) {
        const seconds = (performance.now() - started) / 1000;
        log(
          `  epoch ${epoch} step ${step + 1}/${stepsPerEpoch}: loss ${(totals.loss / (step + 1)).toFixed(4)}, ` +
            `train accuracy ${(totals.accuracy / (step + 1)).toFixed(4)}, lr ${learningRateAt(schedule, globalStep).toExponential(2)}, ` +
            `${seconds.toFixed(0)} s, ${(((step + 1) * plan.batchSize) / seconds).toFixed(0)} images/s`,
        );
      }
    }
    const testAccuracy = await evaluateAccuracy(model, data.test);
    const record = { epoch, loss: totals.loss / stepsPerEpoch, trainAccuracy: totals.accuracy / stepsPerEpoch, testAccuracy, seconds: (performance.now() - started) / 1000 };
    records.push(record);
    log(`epoch ${epoch}/${plan.epochs}: loss ${record.loss.toFixed(4)}, train accuracy ${record.trainAccuracy.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)}, ${record.seconds.toFixed(0)} s`);
  }
  return records;
}

async function trainStep(model: tf.LayersModel, data: FashionMnist, indices: Uint32Array): Promise<[number, number]> {
  const xs = imageBatch(data.train, indices);
  const ys = labelBatch(data.train, indices);
  const result = await model.trainOnBatch(xs, ys);
  tf.dispose([xs, ys]);
  if (!Array.isArray(result) || result.length !== 2) throw new Error('trainOnBatch returned no [loss, accuracy] pair. Compile the model with metrics: ["accuracy"].');
  return [result[0], result[1]];
}
