import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, runWasmKernel } from './wasmKernelCalls';

/**
 * Makes a faster Conv2DBackpropInput kernel for the wasm backend, for stride 1.
 *
 * With stride 1 the input gradient is a plain convolution of dy with the
 * filter rotated by 180 degrees and its channel axes swapped, with dy padded by
 * (filter size - 1 - forward padding) on each side. That runs on the XNNPACK
 * Conv2D kernel, which was about ten times faster than the wasm backend's own
 * Conv2DBackpropInput loop in a benchmark here. Strides above 1, NCHW, and
 * padding wider than the filter go to the backend's own kernel, `fallback`.
 */
export function fastWasmConv2dBackpropInputConfig(fallback: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    // The fallback binds its wasm function when the backend starts.
    setupFunc: fallback.setupFunc,
    kernelFunc: (args) => {
      const backend = args.backend as BackendWasm;
      const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const inputs = args.inputs as unknown as tf.Conv2DBackpropInputInputs;
      const padding = transposedPadding(inputs.filter as tf.TensorInfo, attrs);
      return padding === null ? fallback.kernelFunc(args) : backpropInputByConv(backend, inputs, padding);
    },
  };
}

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** Computes the padding of dy for the equivalent forward convolution, or null where this kernel does not apply. */
function transposedPadding(filter: tf.TensorInfo, attrs: tf.Conv2DBackpropInputAttrs): ExplicitPadding | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  // Chosen so the convolution returns exactly inHeight x inWidth pixels.
  const bottom = info.inHeight - info.outHeight - top + info.filterHeight - 1;
  const right = info.inWidth - info.outWidth - left + info.filterWidth - 1;
  if (Math.min(top, left, bottom, right) < 0) return null;
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

function backpropInputByConv(backend: BackendWasm, inputs: tf.Conv2DBackpropInputInputs, padding: ExplicitPadding): tf.TensorInfo {
  const rotated = runWasmKernel(backend, tf.Reverse, { x: inputs.filter as tf.TensorInfo }, { dims: [0, 1] });
  const swapped = runWasmKernel(backend, tf.Transpose, { x: rotated }, { perm: [0, 1, 3, 2] });
  const dx = runWasmKernel(
    backend,
    tf.Conv2D,
    { x: inputs.dy as tf.TensorInfo, filter: swapped },
    { strides: 1, pad: padding, dataFormat: 'NHWC', dilations: 1 },
  );
  release(backend, rotated, swapped);
  return dx;
}
