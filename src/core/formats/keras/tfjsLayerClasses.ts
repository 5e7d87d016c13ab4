import * as tf from '@tensorflow/tfjs';

/** True when TensorFlow.js Layers has this Keras class registered, so it can run the layer from its config. */
export function isTfjsLayerClass(className: string): boolean {
  return className in tf.serialization.SerializationMap.getMap().classNameMap;
}
