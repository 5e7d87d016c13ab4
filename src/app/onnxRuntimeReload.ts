import type { BatchRunOptions } from '../core/analysis/analyzeFeatures';
import { imagesToBatch, type DecodedImage } from '../core/data/preprocessing';
import type { InputFile } from '../core/formats/inputFile';
import { onnxFormat } from '../core/formats/onnx/onnxFormat';
import { countParameters, inputNode } from '../core/graph/graphQueries';
import type { Predictions } from '../core/metrics/predict';
import type { ReloadedModel } from './reloadDownload';

/** Reorders one image's [H, W, C] values to [C, H, W], the layout ONNX models read. */
function hwcToChw(values: Float32Array, [height, width, channels]: number[]): Float32Array {
  const result = new Float32Array(values.length);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < channels; c++) result[c * height * width + p] = values[p * channels + c];
  }
  return result;
}

/**
 * Loads an ONNX file in ONNX Runtime Web (WebAssembly, one thread), the runtime the user's own
 * web app would use, so the check does not rely on the workbench's reader. The runtime and its
 * 15 MB WebAssembly file are fetched only when an ONNX download is checked.
 */
export async function reloadWithOnnxRuntime(file: InputFile): Promise<ReloadedModel> {
  // The workbench's reader supplies the input shape, names and parameter count, and rejects a broken file first.
  const { graph } = onnxFormat.import([file]);
  const [ort, { default: wasmUrl }] = await Promise.all([import('onnxruntime-web/wasm'), import('onnxruntime-web/ort-wasm-simd-threaded.wasm?url')]);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = { wasm: wasmUrl };
  const session = await ort.InferenceSession.create(file.bytes, { executionProviders: ['wasm'] });
  const shape = inputNode(graph).shape;

  // Runs one image at a time, because many exported models fix the batch size to 1.
  const predict = async (images: DecodedImage[], options: BatchRunOptions): Promise<Predictions> => {
    const outputs: Float32Array[] = [];
    for (const [index, image] of images.entries()) {
      options.signal?.throwIfAborted();
      const batch = imagesToBatch([image], shape, options.scaling);
      const input = hwcToChw((await batch.data()) as Float32Array, shape);
      batch.dispose();
      const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, shape[2], shape[0], shape[1]]) });
      outputs.push(Float32Array.from(results[session.outputNames[0]].data as Float32Array));
      options.onProgress?.({ imagesDone: index + 1, imagesTotal: images.length });
    }
    const values = new Float32Array(outputs.reduce((sum, output) => sum + output.length, 0));
    outputs.reduce((offset, output) => (values.set(output, offset), offset + output.length), 0);
    return { values, outputSize: outputs[0]?.length ?? 0 };
  };

  return {
    loadedWith: ['ONNX Runtime Web', ort.env.versions.web, '(WebAssembly)'].filter(Boolean).join(' '),
    modelName: graph.name,
    inputShape: shape,
    layerNames: graph.nodes.filter((node) => !graph.inputs.includes(node.name)).map((node) => node.name),
    params: countParameters(graph),
    predict,
    dispose: () => void session.release(),
  };
}
