import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, runWasmKernel, withShape } from './wasmKernelCalls';

/**
 * Conv2DBackpropFilter kernel for the wasm backend, which tfjs-backend-wasm 4.22 lacks.
 *
 * The filter gradient is one matrix product. Let `patches` be the input pixels
 * under each filter tap (ky, kx, cIn) for every output pixel (n, y, x). Then
 * dW[ky, kx, cIn, cOut] = sum over (n, y, x) of patches * dy. The kernel builds
 * it from the wasm Transpose, PadV2, Slice or StridedSlice, Concat and
 * BatchMatMul kernels, so it covers every stride and every Conv2D padding
 * ('same', 'valid', a number, explicit pairs).
 *
 * NOTE: the wasm Conv3DBackpropFilterV2 kernel with depth 1 would also work for
 * stride 1. It ran more than 20 times slower in a benchmark here, and its loop
 * bounds (DivCeil and DivFloor in conv3d_impl.h) drop terms for strides above 1.
 */
export const wasmConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    conv2dBackpropFilter(inputs as unknown as tf.Conv2DBackpropFilterInputs, backend as BackendWasm, attrs as unknown as tf.Conv2DBackpropFilterAttrs),
};

function conv2dBackpropFilter(inputs: tf.Conv2DBackpropFilterInputs, backend: BackendWasm, attrs: tf.Conv2DBackpropFilterAttrs): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only, got 'NCHW'. Transpose the input to channels-last.`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter on wasm supports float32 only, got x ${x.dtype} and dy ${dy.dtype}. Cast them to float32 first.`);
  }

  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.outShape.some((dim, axis) => dim !== dy.shape[axis])) {
    // tfjs-core drops dimRoundingMode when it takes the gradient of conv2d, so 'ceil' or 'round' with a numeric pad ends here.
    throw new Error(
      `Conv2DBackpropFilter on wasm got dy of shape [${dy.shape.join(', ')}], but the strides and padding give [${info.outShape.join(', ')}]. Use 'same' or 'valid' padding.`,
    );
  }

  const patches = filterPatches(backend, x, info);
  const [filterHeight, filterWidth, inChannels, outChannels] = attrs.filterShape;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const product = runWasmKernel(
    backend,
    tf.BatchMatMul,
    { a: withShape(patches, [1, filterHeight * filterWidth * inChannels, pixels]), b: withShape(dy, [1, pixels, outChannels]) },
    { transposeA: false, transposeB: false },
  );
  release(backend, patches);
  return withShape(product, [filterHeight, filterWidth, inChannels, outChannels]);
}

/**
 * Gathers the input under each filter tap as [filterHeight * filterWidth * inChannels, batch, outHeight, outWidth].
 * Row (ky, kx, cIn) follows the HWIO order of the filter. Channels come first
 * because the wasm BatchMatMul runs a transposed operand several times slower.
 */
function filterPatches(backend: BackendWasm, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const channelsFirst = runWasmKernel(backend, tf.Transpose, { x }, { perm: [3, 0, 1, 2] });
  const { top, bottom, left, right } = info.padInfo;
  const unpadded = top + bottom + left + right === 0;
  const padded = unpadded
    ? channelsFirst
    : runWasmKernel(backend, tf.PadV2, { x: channelsFirst }, { paddings: [[0, 0], [0, 0], [top, bottom], [left, right]], constantValue: 0 });

  const taps: tf.TensorInfo[] = [];
  for (let ky = 0; ky < info.filterHeight; ky++) {
    for (let kx = 0; kx < info.filterWidth; kx++) taps.push(tapSlice(backend, padded, info, ky, kx));
  }
  const patches = runWasmKernel(backend, tf.Concat, taps, { axis: 0 });

  release(backend, ...taps, channelsFirst);
  if (!unpadded) release(backend, padded);
  return patches;
}

/** Slices the padded input pixels that filter tap (ky, kx) meets, one per output pixel. */
function tapSlice(backend: BackendWasm, padded: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, ky: number, kx: number): tf.TensorInfo {
  const [channels, batch] = padded.shape;
  const { outHeight, outWidth, strideHeight, strideWidth } = info;
  if (strideHeight === 1 && strideWidth === 1) {
    return runWasmKernel(backend, tf.Slice, { x: padded }, { begin: [0, 0, ky, kx], size: [channels, batch, outHeight, outWidth] });
  }

  const end = [channels, batch, ky + (outHeight - 1) * strideHeight + 1, kx + (outWidth - 1) * strideWidth + 1];
  const masks = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 };
  return runWasmKernel(backend, tf.StridedSlice, { x: padded }, { begin: [0, 0, ky, kx], end, strides: [1, 1, strideHeight, strideWidth], ...masks });
}
