import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, runWasmKernel, withShape } from './wasmKernelCalls';

/**
 * Makes a faster Tile kernel for the wasm backend, for tiles that only broadcast.
 *
 * That is when every repeated axis has size 1 and the repeated axes all come
 * before, or all after, the others. The batch norm gradient tiles a
 * [1, 1, 1, C] tensor to the full activation shape three times per layer. In a
 * benchmark here the wasm Tile kernel took 80 to 220 ms for a 64x28x28x64
 * result. An outer product with a vector of ones on BatchMatMul took under
 * 2 ms, and it is exact because each output is 1 * x. Other tiles and dtypes go
 * to the backend's own kernel, `fallback`.
 */
export function broadcastTileConfig(fallback: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Tile,
    backendName: 'wasm',
    setupFunc: fallback.setupFunc,
    kernelFunc: (args) => {
      const x = (args.inputs as unknown as tf.TileInputs).x as tf.TensorInfo;
      const { reps } = args.attrs as unknown as tf.TileAttrs;
      const plan = x.dtype === 'float32' ? outerProductPlan(x.shape, reps) : null;
      return plan === null ? fallback.kernelFunc(args) : tileByOuterProduct(args.backend as BackendWasm, x, reps, plan);
    },
  };
}

interface OuterProductPlan {
  /** True when the repeated axes come first (x is a row repeated down), false when they come last (x is a column repeated across). */
  repeatedFirst: boolean;
  /** Number of copies of x. */
  copies: number;
}

/** Plans the tile as ones x row or column x ones, or returns null where it is not a pure broadcast of that form. */
export function outerProductPlan(shape: number[], reps: number[]): OuterProductPlan | null {
  if (reps.length !== shape.length) return null;
  const repeated = reps.map((rep) => rep !== 1);
  if (repeated.some((isRepeated, axis) => isRepeated && shape[axis] !== 1)) return null;
  const firstKept = repeated.indexOf(false);
  const lastRepeated = repeated.lastIndexOf(true);
  if (lastRepeated < 0) return null;
  const copies = reps.reduce((product, rep) => product * rep, 1);
  if (firstKept < 0 || lastRepeated < firstKept) return { repeatedFirst: true, copies };
  const lastKept = repeated.lastIndexOf(false);
  const firstRepeated = repeated.indexOf(true);
  return lastKept < firstRepeated ? { repeatedFirst: false, copies } : null;
}

function tileByOuterProduct(backend: BackendWasm, x: tf.TensorInfo, reps: number[], plan: OuterProductPlan): tf.TensorInfo {
  const size = x.shape.reduce((product, dim) => product * dim, 1);
  const ones = runWasmKernel(backend, tf.Fill, {}, { shape: [1, plan.copies, 1], value: 1, dtype: 'float32' });
  const operands = plan.repeatedFirst ? { a: ones, b: withShape(x, [1, 1, size]) } : { a: withShape(x, [1, size, 1]), b: withShape(ones, [1, 1, plan.copies]) };
  const product = runWasmKernel(backend, tf.BatchMatMul, operands, { transposeA: false, transposeB: false });
  release(backend, ones);
  return withShape(
    product,
    x.shape.map((dim, axis) => dim * reps[axis]),
  );
}
