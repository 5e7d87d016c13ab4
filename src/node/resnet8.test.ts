import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRAccumulator } from '../core/analysis/rAccumulator';
import { labelFromPath, matchLabel } from '../core/data/labels';
import { KERAS_H5_EXPORT_TARGET, kerasH5Format } from '../core/formats/keras/kerasH5Format';
import { TFJS_EXPORT_TARGET } from '../core/formats/tfjs/tfjsLayersFormat';
import type { ImportedModel } from '../core/formats/modelFormat';
import { countParameters, getNode } from '../core/graph/graphQueries';
import type { BatchNormNode, Conv2DNode, ModelGraph } from '../core/graph/types';
import { imagesToBatch } from '../core/data/preprocessing';
import { compareOutputs, top1Accuracy } from '../core/metrics/compareOutputs';
import { predict } from '../core/metrics/predict';
import { analyzeModel, pruneAndEvaluate, type ModelAnalysis } from '../core/pipeline';
import { makeScaledDuplicate } from '../core/testing/syntheticModels';
import { decodeImage } from './decodeImage';
import { readInputFiles, REALMODELS_DIR } from './files';
import { toleranceRemoving } from '../core/testing/toleranceRemoving';
import { loadTfjsExport } from '../core/testing/loadTfjsExport';

const modelPath = join(REALMODELS_DIR, 'mlcommons-resnet8', 'pretrainedResnet.h5');
const imageDir = join(REALMODELS_DIR, 'cifar10-images', 'test');
const available = existsSync(modelPath) && existsSync(imageDir);
if (!available) console.warn(`SKIPPED ResNet-8 tests: ${modelPath} or ${imageDir} not found (set LINDEPS_REALMODELS).`);

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
// The MLPerf Tiny training script feeds raw 0..255 pixels.
const options = { scaling: { kind: 'raw' as const }, batchSize: 25 };

/** Copies filter `source` of a conv and its BatchNorm entries to filter `target`, so both maps are equal after ReLU. */
function plantDuplicate(graph: ModelGraph, convName: string, batchNormName: string, source: number, target: number): ModelGraph {
  const nodes = structuredClone(graph.nodes);
  const copy = { ...graph, nodes };
  makeScaledDuplicate(getNode(copy, convName) as Conv2DNode, source, target, 1);
  const bn = getNode(copy, batchNormName) as BatchNormNode;
  for (const tensor of [bn.gamma, bn.beta, bn.movingMean, bn.movingVariance]) tensor!.values[target] = tensor!.values[source];
  return copy;
}

describe.skipIf(!available)('MLCommons Tiny ResNet-8 (Keras HDF5)', () => {
  let model: ImportedModel;
  const images = () => readInputFiles([imageDir]).map((file) => decodeImage(file.path, file.bytes));
  const labels = () => images().map((image) => matchLabel(labelFromPath(image.path)!, CLASSES).classIndex);
  let analysis: ModelAnalysis;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = kerasH5Format.import(readInputFiles([modelPath]));
    analysis = await analyzeModel(model.graph, images(), (channels) => new LocalRAccumulator(channels), options);
  });

  it('groups each residual stream with all its writers and readers', () => {
    const groups = analysis.prunability.prunable.map((layer) => layer.writers.join('+'));
    expect(groups).toEqual(['conv2d+conv2d_2', 'conv2d_1', 'conv2d_3', 'conv2d_4+conv2d_5', 'conv2d_6', 'conv2d_7+conv2d_8']);
    expect(analysis.prunability.blocked).toEqual([]);
    const stage1 = analysis.prunability.prunable[0];
    expect(stage1.readers.map((reader) => reader.consumer)).toEqual(['conv2d_1', 'conv2d_3', 'conv2d_5']);
    // The last stream is read through average pooling, so it is measured on the 8x8 maps before it.
    expect(analysis.prunability.prunable[5].readers[0].tap).toBe('activation_6');
  });

  it('classifies the CIFAR sample', () => {
    // 76/100 with libjpeg-turbo, the decoder browsers use; a less exact JPEG decoder (jpeg-js) gives 73/100.
    expect(top1Accuracy(analysis.original, labels())).toEqual({ correct: 76, labelled: 100 });
  });

  it('leaves outputs unchanged at tolerance 0', async () => {
    const outcome = await pruneAndEvaluate(model.graph, analysis, 0, images(), labels(), options);
    expect(outcome.before.params).toBe(78666);
    expect(outcome.comparison.maxAbsDifference).toBeLessThan(1e-4);
  });

  it('finds and removes a planted duplicate exactly', async () => {
    const planted = plantDuplicate(model.graph, 'conv2d_1', 'batch_normalization_1', 3, 11);
    const plantedAnalysis = await analyzeModel(planted, images(), (channels) => new LocalRAccumulator(channels), options);
    const outcome = await pruneAndEvaluate(planted, plantedAnalysis, 1e-5, images(), labels(), options);
    const inner = outcome.dependencies.find(({ layer }) => layer.producer === 'conv2d_1')!;
    expect(inner.split.dependentChannels.filter((channel) => channel === 3 || channel === 11)).toHaveLength(1);
    expect((getNode(outcome.graph, 'conv2d_1') as Conv2DNode).filters).toBe(16 - inner.split.dependentChannels.length);
    expect(outcome.comparison.maxAbsDifference).toBeLessThan(1e-4);
  });

  it('prunes 10% and reloads the export', async () => {
    const tolerance = toleranceRemoving(analysis, 0.1);
    const outcome = await pruneAndEvaluate(model.graph, analysis, tolerance, images(), labels(), options);
    const prunableFilters = analysis.features.layers.reduce((sum, layer) => sum + layer.channels, 0);
    expect(outcome.removedFilters).toBeGreaterThanOrEqual(Math.ceil(0.1 * prunableFilters));
    expect(outcome.after.params).toBeLessThan(outcome.before.params);
    console.info(
      `ResNet-8 at tolerance ${tolerance.toExponential(2)}: ${outcome.removedFilters}/${prunableFilters} filters removed, ` +
        `params ${outcome.before.params} -> ${outcome.after.params}, top-1 ${outcome.before.accuracy?.correct} -> ${outcome.after.accuracy?.correct} /100, ` +
        `top-1 agreement ${outcome.comparison.top1Agreement}/100, max |probability difference| ${outcome.comparison.maxAbsDifference.toFixed(4)}`,
    );

    const reloaded = await loadTfjsExport(await kerasH5Format.export(model, outcome.graph, TFJS_EXPORT_TARGET.id));
    expect(reloaded.countParams()).toBe(outcome.after.params);
    const batch = imagesToBatch(images(), [32, 32, 3], options.scaling);
    const reloadedValues = (reloaded.predict(batch) as tf.Tensor).dataSync();
    const difference = Math.max(...Array.from(reloadedValues, (value, i) => Math.abs(value - outcome.pruned.values[i])));
    expect(difference).toBeLessThan(1e-5);
    batch.dispose();
    reloaded.dispose();

    const [h5File] = await kerasH5Format.export(model, outcome.graph, KERAS_H5_EXPORT_TARGET.id);
    const reimported = kerasH5Format.import([{ ...h5File, path: h5File.name }]);
    expect(countParameters(reimported.graph)).toBe(outcome.after.params);
    for (const node of reimported.graph.nodes) {
      if (node.op === 'Conv2D') expect(node.filters, `filters of ${node.name} in the exported config`).toBe(node.kernel.shape[3]);
    }
    const reimportedOutputs = await predict(reimported.graph, images(), options);
    const h5Difference = compareOutputs(outcome.pruned, reimportedOutputs).maxAbsDifference;
    console.info(`ResNet-8 pruned .h5 (${h5File.bytes.byteLength} bytes) re-imported: max |output difference| ${h5Difference.toExponential(2)}`);
    expect(h5Difference).toBeLessThanOrEqual(1e-5);
  });
});
