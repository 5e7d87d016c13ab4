import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { GraphExecutor } from '../executor/graphExecutor';
import type { ModelGraph } from '../graph/types';

/**
 * Runs models in onnxruntime-web (WebAssembly, one thread) as the reference
 * for tests, and the same inputs through the workbench executor.
 */
ort.env.wasm.numThreads = 1;

/** Runs an ONNX model on one NCHW float32 input and returns every output, in graph output order. */
export async function runOnnxRuntime(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
    return session.outputNames.map((name) => results[name].data as Float32Array);
  } finally {
    await session.release();
  }
}

/** Runs an ONNX model one image at a time (models with a fixed batch of 1) on NCHW images and returns the first output of each, concatenated. */
export async function runOnnxRuntimePerImage(bytes: Uint8Array, input: Float32Array, [batch, ...imageDims]: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const imageSize = imageDims.reduce((product, n) => product * n, 1);
  const outputs: Float32Array[] = [];
  try {
    for (let n = 0; n < batch; n++) {
      const image = input.slice(n * imageSize, (n + 1) * imageSize);
      const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', image, [1, ...imageDims]) });
      outputs.push(results[session.outputNames[0]].data as Float32Array);
    }
  } finally {
    await session.release();
  }
  const joined = new Float32Array(outputs.reduce((sum, output) => sum + output.length, 0));
  outputs.reduce((offset, output) => (joined.set(output, offset), offset + output.length), 0);
  return joined;
}

/** Reorders [N, C, H, W] values to [N, H, W, C]. */
export function nchwToNhwc(values: Float32Array, [batch, channels, height, width]: number[]): Float32Array {
  const result = new Float32Array(values.length);
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < channels; c++)
      for (let p = 0; p < height * width; p++) result[(n * height * width + p) * channels + c] = values[(n * channels + c) * height * width + p];
  return result;
}

/** Reorders [N, H, W, C] values to [N, C, H, W]; `dims` are the NCHW dims. */
export function nhwcToNchw(values: Float32Array, [batch, channels, height, width]: number[]): Float32Array {
  const result = new Float32Array(values.length);
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < channels; c++)
      for (let p = 0; p < height * width; p++) result[(n * channels + c) * height * width + p] = values[(n * height * width + p) * channels + c];
  return result;
}

/** Runs the workbench executor on the NCHW input (converted to NHWC) and returns every output in ONNX order (NCHW for 4-D outputs). */
export async function runWorkbench(graph: ModelGraph, input: Float32Array, dims: number[]): Promise<Float32Array[]> {
  const [batch, channels, height, width] = dims;
  const executor = new GraphExecutor(graph);
  const batchTensor = tf.tensor4d(nchwToNhwc(input, dims), [batch, height, width, channels]);
  try {
    const { outputs } = executor.run(batchTensor);
    const values = await Promise.all(
      outputs.map(async (output) => {
        const data = (await output.data()) as Float32Array;
        const [n, h, w, c] = output.shape;
        return output.rank === 4 ? nhwcToNchw(data, [n, c, h, w]) : data;
      }),
    );
    outputs.forEach((output) => output.dispose());
    return values;
  } finally {
    batchTensor.dispose();
    executor.dispose();
  }
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`Outputs have ${a.length} and ${b.length} values.`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
