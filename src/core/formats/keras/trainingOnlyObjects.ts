import * as tf from '@tensorflow/tfjs';
import type { KerasLayerConfig, KerasModelConfig } from '../tfjs/modelJson';
import { isNestedModel } from './layerVariables';

// Keras's built-in regularizer, constraint and initializer classes, as Keras 2 names them in configs (without a module).
const KERAS_BUILT_IN_CLASSES = new Set([
  'L1', 'L2', 'L1L2', 'OrthogonalRegularizer',
  'MaxNorm', 'MinMaxNorm', 'NonNeg', 'UnitNorm', 'RadialConstraint',
  'Zeros', 'Ones', 'Constant', 'RandomUniform', 'RandomNormal', 'TruncatedNormal', 'Identity', 'VarianceScaling',
  'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LecunNormal', 'LecunUniform', 'Orthogonal',
]);

function isTfjsClass(className: unknown): boolean {
  return typeof className === 'string' && className in tf.serialization.SerializationMap.getMap().classNameMap;
}

/** Tells whether a serialized object is a built-in Keras class. Keras 3 gives its module (`keras.regularizers`); Keras 2 gives only a class name. */
function isKerasClass(value: Record<string, unknown>): boolean {
  const registered = value.registered_name;
  if (typeof registered === 'string' && registered.includes('>')) return false;
  if (typeof value.module === 'string') return value.module.startsWith('keras');
  return KERAS_BUILT_IN_CLASSES.has(String(value.class_name)) || isTfjsClass(value.class_name);
}

/**
 * Notes the regularizers, constraints and initializers the import ignores
 * because only training uses them: those of custom classes, and built-in
 * Keras ones that TensorFlow.js lacks (such as L2).
 */
export function trainingOnlyObjectNotes(modelConfig: KerasModelConfig): string[] {
  const custom: string[] = [];
  const missingInTfjs: string[] = [];
  const visit = (layers: KerasLayerConfig[]): void => {
    for (const layer of layers) {
      for (const [key, value] of Object.entries(layer.config)) {
        if (!/_(regularizer|constraint|initializer)$/.test(key) || !value || typeof value !== 'object') continue;
        const record = value as Record<string, unknown>;
        const label = `${String(layer.config.name)}.${key} (${String(record.class_name)})`;
        if (!isKerasClass(record)) custom.push(label);
        else if (!isTfjsClass(record.class_name)) missingInTfjs.push(label);
      }
      if (isNestedModel(layer)) visit(layer.config.layers as KerasLayerConfig[]);
    }
  };
  const config = modelConfig.config;
  visit(Array.isArray(config) ? config : ((config.layers ?? []) as KerasLayerConfig[]));
  const notes: string[] = [];
  if (custom.length > 0) {
    notes.push(
      `Ignored ${custom.length} training-only object(s) of custom classes: ${custom.join(', ')}. They do not affect inference. ` +
        'The Keras export keeps them, so Keras needs these classes to load it, as it did for the original; the TF.js export leaves them out.',
    );
  }
  if (missingInTfjs.length > 0) {
    notes.push(
      `${missingInTfjs.length} training-only object(s) use Keras classes that TensorFlow.js lacks: ${missingInTfjs.join(', ')}. ` +
        'They do not affect inference. The Keras export keeps them; the TF.js export leaves them out.',
    );
  }
  return notes;
}
