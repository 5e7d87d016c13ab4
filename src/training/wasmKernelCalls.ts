import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Runs another registered wasm kernel from inside a kernel, the way the wasm
 * backend's own kernels compose: straight on the backend, so the engine records
 * no tape entry and keeps no tensor. The caller frees the result with `release`.
 */
export function runWasmKernel(backend: BackendWasm, kernelName: string, inputs: tf.NamedTensorInfoMap | tf.TensorInfo[], attrs: object = {}): tf.TensorInfo {
  const config = tf.getKernel(kernelName, 'wasm');
  if (config === undefined) {
    throw new Error(`Kernel '${kernelName}' not found on the wasm backend. Import '@tensorflow/tfjs-backend-wasm' before registering the training kernels.`);
  }
  // Concat and Pack read their inputs as an array, the rest as named inputs.
  const result = config.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap });
  if (Array.isArray(result)) throw new Error(`Kernel '${kernelName}' returned ${result.length} tensors, expected one. Call it only for single-output kernels.`);
  return result;
}

/** Returns a view of the same data with another shape of the same size, as the wasm Reshape kernel does, without a reference of its own. */
export function withShape(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  const size = (dims: number[]): number => dims.reduce((product, dim) => product * dim, 1);
  if (size(info.shape) !== size(shape)) throw new Error(`Cannot view shape [${info.shape.join(', ')}] as [${shape.join(', ')}].`);
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Frees intermediate results of `runWasmKernel`. */
export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
