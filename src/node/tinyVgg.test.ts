import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import golden from '../../golden/tinyvgg.json';
import { LocalRAccumulator } from '../core/analysis/rAccumulator';
import { DEFAULT_TOLERANCE } from '../core/analysis/tolerance';
import { labelFromPath, matchLabel } from '../core/data/labels';
import { imagesToBatch } from '../core/data/preprocessing';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { getNode } from '../core/graph/graphQueries';
import type { Conv2DNode } from '../core/graph/types';
import { analyzeModel, pruneAndEvaluate, type ModelAnalysis } from '../core/pipeline';
import { toleranceRemoving } from '../core/testing/toleranceRemoving';
import { decodeImage } from './decodeImage';
import { readInputFiles, REALMODELS_DIR } from './files';
import { loadTfjsExport } from '../core/testing/loadTfjsExport';

const modelDir = join(REALMODELS_DIR, 'cnn-explainer-tinyvgg');
const available = existsSync(join(modelDir, 'model.json'));
if (!available) console.warn(`SKIPPED Tiny VGG tests: ${modelDir} not found (set LINDEPS_REALMODELS).`);

const options = { scaling: { kind: 'unit' as const }, batchSize: 8 };

describe.skipIf(!available)('Tiny VGG from CNN Explainer', () => {
  const model = () => tfjsLayersFormat.import(readInputFiles([join(modelDir, 'model.json'), join(modelDir, 'group1-shard1of1.bin')]));
  const images = () => readInputFiles([join(modelDir, 'img')]).map((file) => decodeImage(file.path, file.bytes));
  const labels = () => images().map((image) => matchLabel(labelFromPath(image.path)!, golden.classNames).classIndex);
  let analysis: ModelAnalysis;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    analysis = await analyzeModel(model().graph, images(), (channels) => new LocalRAccumulator(channels), options);
  });

  it('maps every file prefix to its class', () => {
    expect(labels()).toEqual(golden.images.map((image) => image.label));
  });

  it('finds the four prunable convolutions', () => {
    expect(analysis.prunability.prunable.map((layer) => layer.producer)).toEqual(golden.layers.map((layer) => layer.name));
    expect(analysis.prunability.prunable.map((layer) => layer.consumer)).toEqual(golden.layers.map((layer) => layer.consumer));
  });

  it('matches the float64 reference diag ratios', () => {
    golden.layers.forEach((layer, i) => {
      const qr = analysis.features.qrs[i];
      const r00 = Math.abs(qr.r[0]);
      const ratios = Array.from(qr.pivots, (_, k) => Math.abs(qr.r[k * layer.channels + k]) / r00);
      // Features are float32 against the float64 reference, so agreement is to about 1e-6.
      ratios.forEach((ratio, k) => expect(ratio).toBeCloseTo(layer.diagRatios[k], 5));
      expect(Array.from(qr.pivots)).toEqual(layer.pivotOrder);
    });
  });

  it('removes nothing at the default tolerance', async () => {
    const outcome = await pruneAndEvaluate(model().graph, analysis, DEFAULT_TOLERANCE, images(), labels(), options);
    expect(outcome.removedFilters).toBe(0);
    expect(outcome.after.params).toBe(golden.original.params);
    expect(outcome.comparison.maxAbsDifference).toBe(0);
  });

  it('removes one conv_1_2 filter at 1e-2 like the reference', async () => {
    const reference = golden.pruned['1e-2'];
    const outcome = await pruneAndEvaluate(model().graph, analysis, 1e-2, images(), labels(), options);
    const conv12 = outcome.dependencies.find(({ layer }) => layer.producer === 'conv_1_2')!;
    const expected = golden.layers[1].byTolerance['1e-2'];

    expect(outcome.removedFilters).toBe(1);
    expect(conv12.split.dependentChannels).toEqual(reference.removedChannels.conv_1_2);
    expect(conv12.split.rank).toBe(expected.rank);
    expect(conv12.split.relativeResiduals[0]).toBeCloseTo(expected.dependentRelativeResiduals[0], 4);
    expect(outcome.before.params).toBe(reference.paramsBefore);
    expect(outcome.after.params).toBe(reference.paramsAfter);
    expect(outcome.before.flops).toBe(reference.flopsBefore);
    expect(outcome.after.flops).toBe(reference.flopsAfter);
    expect(outcome.before.accuracy).toEqual({ correct: golden.original.top1Correct, labelled: 20 });
    expect(outcome.after.accuracy).toEqual({ correct: reference.top1Correct, labelled: 20 });
    expect(outcome.comparison.top1Agreement).toBe(reference.top1Unchanged);
    expect(outcome.comparison.maxAbsDifference).toBeCloseTo(reference.maxAbsProbDiff, 5);
  });

  it('exports files that import back to the pruned graph', async () => {
    const imported = model();
    const outcome = await pruneAndEvaluate(imported.graph, analysis, 1e-2, images(), labels(), options);
    const files = await tfjsLayersFormat.export(imported, outcome.graph);
    const reloaded = tfjsLayersFormat.import(files.map((file) => ({ name: file.name, path: file.name, bytes: file.bytes })));
    expect(reloaded.graph.name).toBe(imported.graph.name);
    expect(reloaded.graph.nodes.map((node) => node.name)).toEqual(imported.graph.nodes.map((node) => node.name));
    const conv12 = getNode(reloaded.graph, 'conv_1_2') as Conv2DNode;
    expect(conv12.filters).toBe(9);
  });

  it('leaves outputs unchanged at tolerance 0', async () => {
    const outcome = await pruneAndEvaluate(model().graph, analysis, 0, images(), labels(), options);
    expect(outcome.removedFilters).toBe(0);
    expect(outcome.comparison.maxAbsDifference).toBe(0);
  });

  it('prunes 10% and reloads in tf.loadLayersModel', async () => {
    const imported = model();
    const tolerance = toleranceRemoving(analysis, 0.1);
    const outcome = await pruneAndEvaluate(imported.graph, analysis, tolerance, images(), labels(), options);
    expect(outcome.removedFilters).toBeGreaterThanOrEqual(4);
    console.info(
      `Tiny VGG at tolerance ${tolerance.toExponential(2)}: ${outcome.removedFilters}/40 filters removed, params ${outcome.before.params} -> ${outcome.after.params}, ` +
        `top-1 ${outcome.before.accuracy?.correct} -> ${outcome.after.accuracy?.correct} /20, max |probability difference| ${outcome.comparison.maxAbsDifference.toFixed(4)}`,
    );

    const reloaded = await loadTfjsExport(await tfjsLayersFormat.export(imported, outcome.graph));
    expect(reloaded.countParams()).toBe(outcome.after.params);
    const batch = imagesToBatch(images(), [64, 64, 3], options.scaling);
    const reloadedValues = (reloaded.predict(batch) as tf.Tensor).dataSync();
    const difference = Math.max(...Array.from(reloadedValues, (value, i) => Math.abs(value - outcome.pruned.values[i])));
    expect(difference).toBeLessThan(1e-5);
    batch.dispose();
    reloaded.dispose();
  });
});
