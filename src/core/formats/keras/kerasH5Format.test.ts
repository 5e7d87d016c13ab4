import * as tf from '@tensorflow/tfjs';
import * as hdf5 from 'jsfive';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { REALMODELS_DIR } from '../../../node/files';
import { getNode } from '../../graph/graphQueries';
import type { DepthwiseConv2DNode, ModelGraph } from '../../graph/types';
import { analyzeAndPrune, dependentChannels } from '../../testing/pruneHarness';
import type { InputFile } from '../inputFile';
import { TFJS_EXPORT_TARGET } from '../tfjs/tfjsLayersFormat';
import { asInputFile, graphSummary, maxAbsDifference, runOnImage } from '../../testing/kerasGraphChecks';
import { fixedTextListAttribute, writeHdf5 } from './hdf5Writer';
import { KERAS_H5_EXPORT_TARGET, kerasH5Format } from './kerasH5Format';

const modelPath = join(REALMODELS_DIR, 'mlcommons-resnet8', 'pretrainedResnet.h5');
const available = existsSync(modelPath);
if (!available) console.warn(`SKIPPED Keras HDF5 import tests: ${modelPath} not found (set LINDEPS_REALMODELS).`);

const file = (bytes: Uint8Array) => ({ name: 'model.h5', path: 'model.h5', bytes });

describe.skipIf(!available)('Keras HDF5 import', () => {
  const full = () => new Uint8Array(readFileSync(modelPath));

  it('reads the config and NUL-padded weight names', () => {
    const model = kerasH5Format.import([file(full())]);
    expect(model.graph.name).toBe('model');
    const conv = model.graph.nodes.find((node) => node.name === 'conv2d');
    expect(conv?.op).toBe('Conv2D');
    expect(conv?.op === 'Conv2D' ? conv.bias?.sourceName : null).toBe('conv2d/bias:0');
  });

  it('names a truncated file', () => {
    expect(() => kerasH5Format.import([file(full().subarray(0, 3000))])).toThrow(/could not be read as HDF5.*truncated/);
    expect(() => kerasH5Format.import([file(full().subarray(0, 250000))])).toThrow(/weights in 'model.h5' could not be read.*truncated/);
  });

  it('recognizes HDF5 by content, not by name', () => {
    expect(kerasH5Format.recognize([{ name: 'weights.bin', path: 'weights.bin', bytes: full().subarray(0, 16) }])).toBe(true);
    expect(kerasH5Format.recognize([{ name: 'model.h5', path: 'model.h5', bytes: new Uint8Array(16) }])).toBe(false);
  });
});

const fixtureDir = fileURLToPath(new URL('../../../../golden/keras/', import.meta.url));
const golden = JSON.parse(readFileSync(`${fixtureDir}expected-outputs.json`, 'utf8')) as {
  inputShape: number[];
  input: number[];
  expectedOutputs: Record<string, number[]>;
};
const fixtureName = 'keras2_functional.h5';
const fixture = (name = fixtureName): InputFile => ({ name, path: name, bytes: new Uint8Array(readFileSync(fixtureDir + name)) });
const run = (graph: ModelGraph) => runOnImage(graph, golden.input, golden.inputShape);

describe('Keras HDF5 fixture', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches the float64 reference outputs', () => {
    const model = kerasH5Format.import([fixture()]);
    expect(maxAbsDifference(run(model.graph), golden.expectedOutputs[fixtureName])).toBeLessThan(1e-6);
    expect(model.notes.some((note) => note.includes('optimizer state'))).toBe(true);
  });

  it('notes L2 as missing in TF.js', () => {
    const notes = kerasH5Format.import([fixture()]).notes;
    expect(notes).toContain(
      '2 training-only object(s) use Keras classes that TensorFlow.js lacks: conv2d.kernel_regularizer (L2), conv2d_1.kernel_regularizer (L2). ' +
        'They do not affect inference. The Keras export keeps them; the TF.js export leaves them out.',
    );
    expect(notes.some((note) => note.includes('custom'))).toBe(false);
  });

  it('round-trips a pruned .h5 file', async () => {
    const model = kerasH5Format.import([fixture()]);
    const { dependencies, pruned } = await analyzeAndPrune(model.graph);
    expect(dependentChannels(dependencies, 'conv2d')).toHaveLength(1);

    const [file] = await kerasH5Format.export(model, pruned, KERAS_H5_EXPORT_TARGET.id);
    expect(file.name).toBe(fixtureName);
    const reread = kerasH5Format.import([asInputFile(file)]);
    expect(graphSummary(reread.graph)).toEqual(graphSummary(pruned));
    expect(maxAbsDifference(run(reread.graph), run(pruned))).toBe(0);
    expect(maxAbsDifference(run(reread.graph), golden.expectedOutputs[fixtureName])).toBeLessThan(1e-6);
  });

  it('writes the Keras 2 layout', async () => {
    const model = kerasH5Format.import([fixture()]);
    const { pruned } = await analyzeAndPrune(model.graph);
    const [file] = await kerasH5Format.export(model, pruned);
    const written = new hdf5.File(file.bytes.slice().buffer, file.name);
    expect([...written.keys].sort()).toEqual(['model_weights']);
    expect(written.attrs.keras_version).toBe('2.15.0');
    expect(written.attrs.backend).toBe('tensorflow');
    expect(JSON.parse(written.attrs.training_config as string).loss).toBe('sparse_categorical_crossentropy');
    const config = JSON.parse(written.attrs.model_config as string);
    expect(config.config.layers[1].config.filters).toBe(3);
    const weights = written.get('model_weights') as hdf5.Group;
    expect((weights.attrs.layer_names as string[]).map((name) => name.replace(/\0+$/, ''))).toEqual([
      'input_1',
      'conv2d',
      'max_pooling2d',
      'conv2d_1',
      'flatten',
      'dense',
    ]);
    expect(weights.get('input_1').attrs.weight_names).toEqual([]);
    expect((weights.get('conv2d').attrs.weight_names as string[]).map((name) => name.replace(/\0+$/, ''))).toEqual(['conv2d/kernel:0', 'conv2d/bias:0']);
    expect((weights.get('conv2d/conv2d/kernel:0') as hdf5.Dataset).shape).toEqual([3, 3, 3, 3]);
    expect((weights.get('conv2d_1/conv2d_1/kernel:0') as hdf5.Dataset).shape).toEqual([3, 3, 3, 3]);
  });

  it('writes TF.js files that load', async () => {
    const model = kerasH5Format.import([fixture()]);
    const { pruned } = await analyzeAndPrune(model.graph);
    const [json, shard] = await kerasH5Format.export(model, pruned, TFJS_EXPORT_TARGET.id);
    const modelJson = JSON.parse(new TextDecoder().decode(json.bytes));
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: shard.bytes.slice().buffer }),
    );
    const input = tf.tensor(golden.input, [1, ...golden.inputShape]);
    expect(maxAbsDifference((loaded.predict(input) as tf.Tensor).dataSync(), run(pruned))).toBeLessThan(1e-6);
    input.dispose();
    loaded.dispose();
  });

  it('reads a Keras 3 legacy file', () => {
    const name = 'keras3_legacy_sequential.h5';
    const model = kerasH5Format.import([fixture(name)]);
    expect(maxAbsDifference(run(model.graph), golden.expectedOutputs[name])).toBeLessThan(1e-5);
    expect((getNode(model.graph, 'depthwise_conv2d') as DepthwiseConv2DNode).kernel.sourceName).toBe('sequential/depthwise_conv2d/kernel');
  });

  it('round-trips a Keras 3 legacy file', async () => {
    const name = 'keras3_legacy_sequential.h5';
    const model = kerasH5Format.import([fixture(name)]);
    const { dependencies, pruned } = await analyzeAndPrune(model.graph);
    // Filter 3 doubles filter 1 through the conv, the depthwise conv and BatchNorm, so one of them goes from both.
    expect(dependentChannels(dependencies, 'conv2d')).toHaveLength(1);
    expect((getNode(pruned, 'depthwise_conv2d') as DepthwiseConv2DNode).kernel.shape).toEqual([3, 3, 3, 1]);
    const [file] = await kerasH5Format.export(model, pruned);
    const reread = kerasH5Format.import([asInputFile(file)]);
    expect(graphSummary(reread.graph)).toEqual(graphSummary(pruned));
    expect(maxAbsDifference(run(reread.graph), golden.expectedOutputs[name])).toBeLessThan(1e-5);

    const written = new hdf5.File(file.bytes.slice().buffer, file.name);
    expect(written.attrs.keras_version).toBe('3.5.0');
    expect((written.get('model_weights/top_level_model_weights') as hdf5.Group).attrs.weight_names).toEqual([]);
  });

  it('names a file without model_config', async () => {
    const weightsOnly = await writeHdf5((root) => {
      fixedTextListAttribute(root, 'layer_names', ['dense']);
      fixedTextListAttribute(root.create_group('dense'), 'weight_names', []);
    });
    expect(() => kerasH5Format.import([{ name: 'weights.h5', path: 'weights.h5', bytes: weightsOnly }])).toThrow(
      /'weights.h5' has no model_config attribute.*model.save\("model.h5"\)/,
    );
  });
});
