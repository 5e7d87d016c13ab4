import * as tf from '@tensorflow/tfjs';
import type { BatchRunOptions } from '../core/analysis/analyzeFeatures';
import { imagesToBatch, type DecodedImage } from '../core/data/preprocessing';
import type { InputFile } from '../core/formats/inputFile';
import { detectFormat } from '../core/formats/registry';
import { onnxFormat } from '../core/formats/onnx/onnxFormat';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { countParameters, inputNode } from '../core/graph/graphQueries';
import { predict, type Predictions } from '../core/metrics/predict';
import type { PickedFile } from './browserFiles';
import { reloadWithOnnxRuntime } from './onnxRuntimeReload';

/** A downloaded model loaded back, ready to run on the sample images. */
export interface ReloadedModel {
  /** Name of the loader that read the files, shown with the result. */
  loadedWith: string;
  modelName: string;
  /** Input shape without the batch dimension, e.g. [28, 28, 1]. */
  inputShape: number[];
  layerNames: string[];
  params: number;
  predict(images: DecodedImage[], options: BatchRunOptions): Promise<Predictions>;
  dispose(): void;
}

function isTfjsModelJson(file: InputFile): boolean {
  return file.name.toLowerCase().endsWith('.json') && tfjsLayersFormat.recognize([file]);
}

async function predictLayersModel(layersModel: tf.LayersModel, images: DecodedImage[], options: BatchRunOptions): Promise<Predictions> {
  const inputShape = layersModel.inputs[0].shape.slice(1) as number[];
  const chunks: number[] = [];
  let outputSize = 0;
  for (let start = 0; start < images.length; start += options.batchSize) {
    options.signal?.throwIfAborted();
    const batch = imagesToBatch(images.slice(start, start + options.batchSize), inputShape, options.scaling);
    const output = layersModel.predict(batch) as tf.Tensor;
    outputSize = output.shape[output.shape.length - 1]!;
    chunks.push(...(await output.data()));
    batch.dispose();
    output.dispose();
    options.onProgress?.({ imagesDone: Math.min(start + options.batchSize, images.length), imagesTotal: images.length });
  }
  return { values: Float32Array.from(chunks), outputSize };
}

/** Loads TF.js files with TensorFlow.js' own tf.loadLayersModel, the loader the user's app will use. */
async function reloadTfjs(picked: PickedFile[], files: InputFile[]): Promise<ReloadedModel> {
  // The workbench's reader checks that every listed shard is there with the right size;
  // tf.loadLayersModel would otherwise load a model.json alone with uninitialised weights.
  tfjsLayersFormat.import(files);
  const json = picked.filter(({ file }) => file.name.toLowerCase().endsWith('.json'));
  const shards = picked.filter(({ file }) => !file.name.toLowerCase().endsWith('.json'));
  const layersModel = await tf.loadLayersModel(tf.io.browserFiles([json[0].file, ...shards.map(({ file }) => file)]));
  return {
    loadedWith: 'tf.loadLayersModel',
    modelName: layersModel.name,
    inputShape: layersModel.inputs[0].shape.slice(1) as number[],
    layerNames: layersModel.layers.map((layer) => layer.name),
    params: layersModel.countParams(),
    predict: (images, options) => predictLayersModel(layersModel, images, options),
    dispose: () => layersModel.dispose(),
  };
}

/**
 * Reads Keras files with the workbench's own importer and runs them with its executor.
 * NOTE: this compares what was written with what the workbench reads, not with Keras, which does not run
 * in the browser. The test suite reads the written files with h5py where Keras looks for each weight.
 */
function reloadWithImporter(files: InputFile[]): ReloadedModel {
  const format = detectFormat(files);
  if (!format) {
    throw new Error(`None of ${files.map((file) => `'${file.name}'`).join(', ')} is a model file; pick the files the download gave.`);
  }
  const { graph } = format.import(files);
  return {
    loadedWith: `the workbench's ${format.label} reader`,
    modelName: graph.name,
    inputShape: inputNode(graph).shape,
    layerNames: graph.nodes.filter((node) => !graph.inputs.includes(node.name)).map((node) => node.name),
    params: countParameters(graph),
    predict: (images, options) => predict(graph, images, options),
    dispose: () => {},
  };
}

/** Loads the files the user picked back from a download, with the most independent loader the browser has for their format. */
export async function reloadDownload(picked: PickedFile[], files: InputFile[]): Promise<ReloadedModel> {
  const modelJsons = files.filter(isTfjsModelJson);
  if (modelJsons.length > 1) throw new Error(`Pick one model.json with its weight file; got ${modelJsons.length} model.json files.`);
  if (modelJsons.length === 1) return reloadTfjs(picked, files);
  const onnxFile = files.find((file) => onnxFormat.recognize([file]));
  if (onnxFile) return reloadWithOnnxRuntime(onnxFile);
  return reloadWithImporter(files);
}
