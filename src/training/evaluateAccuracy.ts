import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from './fashionMnist';
import { imageBatch, range } from './imageBatches';

/** Measures the top-1 accuracy of `model` on every image of `set`, in batches. */
export async function evaluateAccuracy(model: tf.LayersModel, set: ImageSet, batchSize = 500): Promise<number> {
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const indices = range(start, Math.min(set.count, start + batchSize));
    const predicted = tf.tidy(() => tf.argMax(model.predict(imageBatch(set, indices)) as tf.Tensor2D, 1));
    const classes = await predicted.data();
    predicted.dispose();
    classes.forEach((predictedClass, i) => {
      if (predictedClass === set.labels[indices[i]]) correct++;
    });
  }
  return correct / set.count;
}
