import * as tf from '@tensorflow/tfjs';

/** Adam optimizer with a settable learning rate. tfjs' AdamOptimizer reads the rate on every step but keeps the field protected. */
export class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}
