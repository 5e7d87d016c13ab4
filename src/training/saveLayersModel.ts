import * as tf from '@tensorflow/tfjs';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

export interface SavedModelFiles {
  modelJson: string;
  weights: string;
  bytes: number;
}

/** Builds the model.json document that TF.js writes for a LayersModel with one weight shard. */
export function layersModelJson(artifacts: tf.io.ModelArtifacts): object {
  return {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
}

/** Saves `model` as model.json plus one weight shard in `dir` with fs, because tfjs-node and its file:// handler are not installed. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<SavedModelFiles> {
  mkdirSync(dir, { recursive: true });
  const modelJson = join(dir, 'model.json');
  const weights = join(dir, WEIGHTS_FILE);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.weightData === undefined) throw new Error(`Model '${model.name}' has no weight data to save.`);
      writeFileSync(weights, new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)));
      writeFileSync(modelJson, JSON.stringify(layersModelJson(artifacts)));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { modelJson, weights, bytes: statSync(modelJson).size + statSync(weights).size };
}
