import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, runWasmKernel, withShape } from './wasmKernelCalls';

type Reduction = typeof tf.Sum | typeof tf.Mean;

/**
 * Makes a faster Sum or Mean kernel for the wasm backend, for reductions over leading axes.
 *
 * Batch norm and its gradient reduce over (batch, y, x) for every channel. The
 * wasm kernels first transpose the reduced axes to the end, which took about
 * 10 ms for a 64x28x28x64 tensor in a benchmark here. Seen as one
 * [1, count, 1, channels] image, the mean is an average pool over the whole
 * column, and the XNNPACK AvgPool kernel took under 1 ms for it. The sum is
 * that mean times count. Both differ from the CPU kernels in the last bits.
 * Other axes and dtypes go to the backend's own kernel, `fallback`.
 */
export function leadingAxesReductionConfig(kernelName: Reduction, fallback: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: fallback.setupFunc,
    kernelFunc: (args) => {
      const x = (args.inputs as unknown as tf.SumInputs).x as tf.TensorInfo;
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const reduced = x.dtype === 'float32' && tf.util.sizeFromShape(x.shape) > 0 ? leadingAxesCount(x.shape, axis) : 0;
      if (reduced === 0) return fallback.kernelFunc(args);
      return reduceByAveragePool(args.backend as BackendWasm, x, reduced, kernelName === tf.Sum, keepDims);
    },
  };
}

/** Counts the leading axes that `axis` names, or returns 0 unless it names exactly axes 0..k-1 with k below the rank. */
export function leadingAxesCount(shape: number[], axis: number | number[]): number {
  const axes = tf.util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  const leading = axes.every((value, index) => value === index);
  return leading && axes.length < shape.length ? axes.length : 0;
}

function reduceByAveragePool(backend: BackendWasm, x: tf.TensorInfo, reduced: number, sum: boolean, keepDims: boolean): tf.TensorInfo {
  const count = tf.util.sizeFromShape(x.shape.slice(0, reduced));
  const rest = x.shape.slice(reduced);
  const channels = tf.util.sizeFromShape(rest);
  const column = withShape(x, [1, count, 1, channels]);
  const mean = runWasmKernel(backend, tf.AvgPool, { x: column }, { filterSize: [count, 1], strides: 1, pad: 'valid' });
  let result = mean;
  if (sum) {
    const scale = runWasmKernel(backend, tf.Fill, {}, { shape: [], value: count, dtype: 'float32' });
    result = runWasmKernel(backend, tf.Multiply, { a: mean, b: scale }, {});
    release(backend, mean, scale);
  }
  return withShape(result, keepDims ? [...x.shape.slice(0, reduced).map(() => 1), ...rest] : rest);
}
