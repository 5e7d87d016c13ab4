import * as tf from '@tensorflow/tfjs';
import type { TfjsModelJson } from './modelJson';

/**
 * Builds the model that a converted `model.json` describes with TensorFlow.js itself, and throws
 * a named error when that fails. A conversion then never hands out TF.js files that
 * tf.loadLayersModel rejects, such as ones with an activation or layer class only Keras defines.
 */
export async function checkTfjsLoadable(modelJson: TfjsModelJson, alternative: string): Promise<void> {
  let model: tf.LayersModel;
  try {
    // Without weights TensorFlow.js initialises them; only whether the topology builds matters here.
    model = await tf.models.modelFromJSON({ modelTopology: modelJson.modelTopology } as tf.io.ModelJSON);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new Error(`TensorFlow.js cannot load this model as TF.js files (${reason}). Download it as ${alternative} instead.`);
  }
  model.dispose();
}
