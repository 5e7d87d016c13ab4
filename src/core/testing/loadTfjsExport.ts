import * as tf from '@tensorflow/tfjs';
import type { OutputFile } from '../formats/inputFile';

/** Loads exported TF.js files (model.json, then its one weight shard) with tf.loadLayersModel, as a user's app would. */
export async function loadTfjsExport(files: OutputFile[]): Promise<tf.LayersModel> {
  const [json, shard] = files;
  const modelJson = JSON.parse(new TextDecoder().decode(json.bytes));
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: shard.bytes.slice().buffer }),
  );
}
