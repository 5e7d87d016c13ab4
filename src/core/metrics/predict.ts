import { concatenate, imageBatches, type BatchRunOptions } from '../analysis/analyzeFeatures';
import type { DecodedImage } from '../data/preprocessing';
import { GraphExecutor } from '../executor/graphExecutor';
import { inputNode } from '../graph/graphQueries';
import type { ModelGraph } from '../graph/types';

export interface Predictions {
  /** Row-major images x outputSize values of the model's first output. */
  values: Float32Array;
  outputSize: number;
}

/** Runs the model's first output over all images, batch by batch. */
export async function predict(graph: ModelGraph, images: DecodedImage[], options: BatchRunOptions): Promise<Predictions> {
  const executor = new GraphExecutor(graph);
  const chunks: Float32Array[] = [];
  let outputSize = 0;
  let imagesDone = 0;
  try {
    for (const batch of imageBatches(images, inputNode(graph).shape, options)) {
      const { outputs } = executor.run(batch);
      const batchSize = batch.shape[0];
      batch.dispose();
      outputSize = outputs[0].size / batchSize;
      chunks.push((await outputs[0].data()) as Float32Array);
      outputs.forEach((tensor) => tensor.dispose());
      imagesDone += batchSize;
      options.onProgress?.({ imagesDone, imagesTotal: images.length });
    }
  } finally {
    executor.dispose();
  }
  return { values: concatenate(chunks), outputSize };
}
