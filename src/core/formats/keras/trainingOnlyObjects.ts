import * as tf from '@tensorflow/tfjs';
import type { KerasLayerConfig, KerasModelConfig } from '../tfjs/modelJson';
import { isNestedModel } from './layerVariables';

/** Tells whether a serialized object is a built-in Keras class. Keras 3 gives its module (`keras.regularizers`); Keras 2 gives only a class name, which TF.js also has. */
function isKnownClass(value: Record<string, unknown>): boolean {
  const registered = value.registered_name;
  if (typeof registered === 'string' && registered.includes('>')) return false;
  if (typeof value.module === 'string') return value.module.startsWith('keras');
  return typeof value.class_name === 'string' && value.class_name in tf.serialization.SerializationMap.getMap().classNameMap;
}

/**
 * Names regularizers, constraints and initializers of classes the workbench
 * does not know (custom classes), as one note: they only affect training, so
 * the import ignores them.
 */
export function customTrainingObjectsNote(modelConfig: KerasModelConfig): string | null {
  const found: string[] = [];
  const visit = (layers: KerasLayerConfig[]): void => {
    for (const layer of layers) {
      for (const [key, value] of Object.entries(layer.config)) {
        if (!/_(regularizer|constraint|initializer)$/.test(key) || !value || typeof value !== 'object') continue;
        const record = value as Record<string, unknown>;
        if (!isKnownClass(record)) found.push(`${String(layer.config.name)}.${key} (${String(record.class_name)})`);
      }
      if (isNestedModel(layer)) visit(layer.config.layers as KerasLayerConfig[]);
    }
  };
  const config = modelConfig.config;
  visit(Array.isArray(config) ? config : ((config.layers ?? []) as KerasLayerConfig[]));
  if (found.length === 0) return null;
  return (
    `Ignored ${found.length} custom training-only object(s): ${found.join(', ')}. They do not affect inference. ` +
    'The Keras export keeps them (loading it needs their classes as custom_objects); the TF.js export leaves them out.'
  );
}
