import type { KerasLayerConfig } from '../tfjs/modelJson';
import { layerVariableRoles } from './layerVariables';

/**
 * Names a layer's variables as tfjs-layers looks them up on load:
 * `<layer name>/<role>`, with the role TF.js uses for the layer class
 * (`depthwise_kernel` where Keras 3 uses `kernel`). Keras files name them
 * otherwise (`seq/c1/kernel` in Keras 3's `.h5`, `vars/0` in `.keras`), so the
 * names are built from the class, not copied from the file.
 */
export function tfjsVariableNames(layer: KerasLayerConfig, layerName: string, variableCount: number, kerasExtension: string): string[] {
  const roles = layerVariableRoles(layer);
  if (!roles) {
    throw new Error(
      `Layer '${layerName}' (${layer.class_name}) has ${variableCount} variables whose TF.js names the workbench does not know, ` +
        `so the model cannot be written as TF.js files. Export it as ${kerasExtension} and convert that with tensorflowjs_converter.`,
    );
  }
  if (roles.length !== variableCount) {
    throw new Error(
      `Layer '${layerName}' (${layer.class_name}) has ${variableCount} variables in the file, but TF.js expects ${roles.length} ` +
        `(${roles.join(', ')}), so the model cannot be written as TF.js files. Export it as ${kerasExtension} instead.`,
    );
  }
  return roles.map((role) => `${layerName}/${role}`);
}

/** Builds the error for TF.js export of a nested Keras 3 model, whose nested configs tfjs-layers cannot rebuild. */
export function nestedKeras3TfjsError(kerasExtension: string): Error {
  return new Error(`The model nests another model; TF.js export of nested Keras 3 models is not supported. Export it as ${kerasExtension} instead.`);
}
