import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { broadcastTileConfig } from './wasmBroadcastTile';
import { wasmConv2dBackpropFilterConfig } from './wasmConv2dBackpropFilter';
import { fastWasmConv2dBackpropInputConfig } from './wasmConv2dBackpropInput';
import { leadingAxesReductionConfig } from './wasmLeadingAxesReduction';

let registered = false;

/** Swaps a wasm kernel for a faster one that hands the cases it does not cover to the original. */
function replaceWasmKernel(kernelName: string, makeFaster: (original: tf.KernelConfig) => tf.KernelConfig): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (original === undefined) throw new Error(`Kernel '${kernelName}' not found on the wasm backend. This code expects tfjs-backend-wasm 4.22.`);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(makeFaster(original));
}

/**
 * Registers what training a CNN on the wasm backend needs: the missing
 * Conv2DBackpropFilter kernel, plus faster versions of four kernels that
 * dominated a training step (Conv2DBackpropInput, and Tile, Sum and Mean as
 * batch norm uses them). Calling it before or after the wasm backend starts
 * both work, because each replacement passes the original's setup on. A
 * second call does nothing. Every other gradient that the demo models need
 * exists on wasm: MaxPoolGrad, and the batch norm, ReLU and Add gradients,
 * which tfjs builds from elementwise kernels.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') !== undefined) {
    throw new Error(`The wasm backend now has its own '${tf.Conv2DBackpropFilter}' kernel. Compare it with src/training/wasmConv2dBackpropFilter.ts and keep one.`);
  }
  tf.registerKernel(wasmConv2dBackpropFilterConfig);
  replaceWasmKernel(tf.Conv2DBackpropInput, fastWasmConv2dBackpropInputConfig);
  replaceWasmKernel(tf.Tile, broadcastTileConfig);
  replaceWasmKernel(tf.Sum, (original) => leadingAxesReductionConfig(tf.Sum, original));
  replaceWasmKernel(tf.Mean, (original) => leadingAxesReductionConfig(tf.Mean, original));
  registered = true;
}

/** Switches TensorFlow.js to the wasm backend with the training kernels. */
export async function useWasmForTraining(): Promise<void> {
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js could not start the wasm backend.');
}
