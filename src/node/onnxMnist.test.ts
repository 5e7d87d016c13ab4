import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRAccumulator } from '../core/analysis/rAccumulator';
import { imagesToBatch, type PixelScaling } from '../core/data/preprocessing';
import type { OnnxDocument } from '../core/formats/onnx/onnxDocument';
import { onnxFormat } from '../core/formats/onnx/onnxFormat';
import { maxAbsDifference, nhwcToNchw, runOnnxRuntimePerImage } from '../core/testing/onnxRuntimeReference';
import type { ImportedModel } from '../core/formats/modelFormat';
import { countParameters, inputNode } from '../core/graph/graphQueries';
import { top1, top1Accuracy } from '../core/metrics/compareOutputs';
import { predict } from '../core/metrics/predict';
import { analyzeModel, pruneAndEvaluate, type ModelAnalysis } from '../core/pipeline';
import { decodeImage } from './decodeImage';
import { readInputFiles, REALMODELS_DIR } from './files';
import { readMnistIdx, type MnistSample } from './mnistIdx';
import { toleranceRemoving } from '../core/testing/toleranceRemoving';

const mnistDir = join(REALMODELS_DIR, 'mnist-idx');
const digitDir = join(REALMODELS_DIR, 'onnx-wonnx-mnist', 'images');
const SAMPLE_SIZE = 500;

interface RealModel {
  title: string;
  path: string;
  scaling: PixelScaling;
  /** Correct top-1 on the first 500 t10k images, as ONNX Runtime measured it when the file was collected. */
  correct: number;
}

const models: RealModel[] = [
  // burn's exporter script normalises with the MNIST mean and standard deviation.
  { title: 'burn MNIST (BatchNorm after ReLU and Gemm, LogSoftmax)', path: join(REALMODELS_DIR, 'onnx-burn-mnist', 'mnist.onnx'), scaling: { kind: 'meanStd', mean: [0.1307], std: [0.3081] }, correct: 495 },
  // wonnx feeds pixel / 255.
  { title: 'wonnx MNIST (Reshape + Gemm head, IR 3)', path: join(REALMODELS_DIR, 'onnx-wonnx-mnist', 'opt-mnist.onnx'), scaling: { kind: 'unit' }, correct: 493 },
];

/** Runs the ONNX bytes in ONNX Runtime on the same preprocessed images the workbench receives. */
async function runtimeOutputs(bytes: Uint8Array, model: ImportedModel, images: MnistSample['images'], scaling: PixelScaling): Promise<Float32Array> {
  const shape = inputNode(model.graph).shape;
  const batch = imagesToBatch(images, shape, scaling);
  const nhwc = (await batch.data()) as Float32Array;
  batch.dispose();
  const dims = [images.length, shape[2], shape[0], shape[1]];
  return runOnnxRuntimePerImage(bytes, nhwcToNchw(nhwc, dims), dims);
}

describe.each(models)('$title', ({ path, scaling, correct }) => {
  const available = existsSync(path) && existsSync(mnistDir);
  if (!available) console.warn(`SKIPPED ONNX MNIST tests: ${path} or ${mnistDir} not found (set LINDEPS_REALMODELS).`);
  const options = { scaling, batchSize: 100 };
  let model: ImportedModel;
  let sample: MnistSample;
  let analysis: ModelAnalysis;

  beforeAll(async () => {
    if (!available) return;
    await tf.setBackend('cpu');
    model = onnxFormat.import(readInputFiles([path]));
    sample = readMnistIdx(join(mnistDir, 't10k-images-idx3-ubyte.gz'), join(mnistDir, 't10k-labels-idx1-ubyte.gz'), SAMPLE_SIZE);
    analysis = await analyzeModel(model.graph, sample.images, (channels) => new LocalRAccumulator(channels), options);
  });

  it.skipIf(!available)('matches ONNX Runtime on 500 images', async () => {
    expect(top1Accuracy(analysis.original, sample.labels)).toEqual({ correct, labelled: SAMPLE_SIZE });
    const reference = await runtimeOutputs((model.document as OnnxDocument).bytes, model, sample.images, scaling);
    const difference = maxAbsDifference(analysis.original.values, reference);
    console.info(`${model.sourceName}: top-1 ${correct}/${SAMPLE_SIZE}, max |workbench - ONNX Runtime| ${difference.toExponential(2)} on the outputs`);
    expect(difference).toBeLessThan(1e-4);
  });

  it.skipIf(!available || !existsSync(digitDir))('reads the digit photos 0, 3, 5 and 7', async () => {
    const digits = readInputFiles(['0', '3', '5', '7'].map((digit) => join(digitDir, `${digit}.jpg`))).map((file) => decodeImage(file.path, file.bytes));
    expect(top1(await predict(model.graph, digits, options))).toEqual([0, 3, 5, 7]);
  });

  it.skipIf(!available)('leaves the outputs unchanged at tolerance 0', async () => {
    const outcome = await pruneAndEvaluate(model.graph, analysis, 0, sample.images, sample.labels, options);
    console.info(`${model.sourceName} at tolerance 0: ${outcome.removedFilters} filters removed, max |output difference| ${outcome.comparison.maxAbsDifference.toExponential(2)}`);
    expect(outcome.comparison.maxAbsDifference).toBeLessThan(1e-4);
    expect(outcome.after.accuracy).toEqual({ correct, labelled: SAMPLE_SIZE });
  });

  it.skipIf(!available)('prunes 10% and exports runnable bytes', async () => {
    const tolerance = toleranceRemoving(analysis, 0.1);
    const outcome = await pruneAndEvaluate(model.graph, analysis, tolerance, sample.images, sample.labels, options);
    const prunable = analysis.features.layers.reduce((sum, layer) => sum + layer.channels, 0);
    expect(outcome.removedFilters).toBeGreaterThanOrEqual(Math.ceil(0.1 * prunable));
    expect(outcome.after.params).toBeLessThan(outcome.before.params);

    const [exported] = await onnxFormat.export(model, outcome.graph);
    const fromRuntime = await runtimeOutputs(exported.bytes, model, sample.images, scaling);
    const difference = maxAbsDifference(fromRuntime, outcome.pruned.values);
    const reimported = onnxFormat.import([{ name: exported.name, path: exported.name, bytes: exported.bytes }]);
    console.info(
      `${model.sourceName} at tolerance ${tolerance.toExponential(2)}: ${outcome.removedFilters}/${prunable} filters removed ` +
        `(${outcome.dependencies.map(({ layer, split }) => `${layer.producer} ${split.dependentChannels.length}/${layer.channels}`).join(', ')}), ` +
        `params ${outcome.before.params} -> ${outcome.after.params}, file ${(model.document as OnnxDocument).bytes.length} -> ${exported.bytes.length} bytes, ` +
        `top-1 ${outcome.before.accuracy?.correct} -> ${outcome.after.accuracy?.correct}/${SAMPLE_SIZE}, ` +
        `max |pruned - original| ${outcome.comparison.maxAbsDifference.toExponential(2)}, max |ONNX Runtime on export - workbench pruned| ${difference.toExponential(2)}`,
    );
    expect(difference).toBeLessThan(1e-4);
    expect(countParameters(reimported.graph)).toBe(outcome.after.params);
  });
});
