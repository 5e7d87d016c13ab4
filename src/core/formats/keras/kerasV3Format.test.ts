import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import * as hdf5 from 'jsfive';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { getNode, nodeWeights } from '../../graph/graphQueries';
import type { BatchNormNode, Conv2DNode } from '../../graph/types';
import { analyzeAndPrune, dependentChannels } from '../../testing/pruneHarness';
import type { InputFile } from '../inputFile';
import { TFJS_EXPORT_TARGET } from '../tfjs/tfjsLayersFormat';
import { asInputFile, graphSummary, maxAbsDifference, runOnImage } from '../../testing/kerasGraphChecks';
import { writeFloat32Dataset, writeHdf5 } from './hdf5Writer';
import { KERAS_V3_EXPORT_TARGET, kerasV3Format } from './kerasV3Format';

const fixtureDir = fileURLToPath(new URL('../../../../golden/keras/', import.meta.url));
const golden = JSON.parse(readFileSync(`${fixtureDir}expected-outputs.json`, 'utf8')) as {
  inputShape: number[];
  input: number[];
  expectedOutputs: Record<string, number[]>;
};
const fixture = (name: string): InputFile => ({ name, path: name, bytes: new Uint8Array(readFileSync(fixtureDir + name)) });
const run = (graph: Parameters<typeof runOnImage>[0]) => runOnImage(graph, golden.input, golden.inputShape);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Keras 3 import of reference files', () => {
  it('matches the float64 reference outputs', () => {
    for (const name of ['residual_functional.keras', 'plain_sequential.keras', 'nested_functional.keras']) {
      const model = kerasV3Format.import([fixture(name)]);
      expect(maxAbsDifference(run(model.graph), golden.expectedOutputs[name]), name).toBeLessThan(1e-5);
    }
  });

  it('finds variables by class order', () => {
    const model = kerasV3Format.import([fixture('residual_functional.keras')]);
    const inner = getNode(model.graph, 'inner') as Conv2DNode;
    expect(inner.kernel.sourceName).toBe('layers/conv2d_1/vars/0');
    expect(inner.kernel.shape).toEqual([3, 3, 4, 6]);
    expect((getNode(model.graph, 'stem_bn') as BatchNormNode).movingVariance.sourceName).toBe('layers/batch_normalization/vars/3');
  });

  it('reads a BatchNormalization without scale', () => {
    const model = kerasV3Format.import([fixture('plain_sequential.keras')]);
    const bn = getNode(model.graph, 'batch_normalization') as BatchNormNode;
    expect(bn.gamma).toBeNull();
    expect(bn.beta?.sourceName).toBe('layers/batch_normalization/vars/0');
    expect(bn.movingMean.sourceName).toBe('layers/batch_normalization/vars/1');
  });

  it('inlines a nested Sequential model', () => {
    const model = kerasV3Format.import([fixture('nested_functional.keras')]);
    expect(getNode(model.graph, 'block_input')).toMatchObject({ op: 'Identity', inputs: ['outer_conv'] });
    expect(getNode(model.graph, 'block')).toMatchObject({ op: 'Identity', inputs: ['block_out'] });
    expect(getNode(model.graph, 'pool').inputs).toEqual(['block']);
    expect((getNode(model.graph, 'block_out') as Conv2DNode).kernel.sourceName).toBe('layers/sequential/layers/conv2d_1/vars/0');
  });

  it('notes custom regularizers and optimizer state', () => {
    const notes = kerasV3Format.import([fixture('residual_functional.keras')]).notes;
    expect(notes.some((note) => note.includes('stem.kernel_regularizer (Orthogonality)'))).toBe(true);
    expect(notes.some((note) => note.includes('optimizer state'))).toBe(true);
    expect(kerasV3Format.import([fixture('plain_sequential.keras')]).notes).toEqual([]);
  });

  it('writes module names as Keras does', () => {
    const moduleOf = (bytes: Uint8Array) => {
      const { module, registered_name } = JSON.parse(text(unzipSync(bytes)['config.json'])) as Record<string, unknown>;
      return { module, registered_name };
    };
    // A functional model saved by Keras 3.15 itself.
    const real = moduleOf(new Uint8Array(readFileSync(`${fixtureDir}real/real_depthwise.keras`)));
    expect(real).toEqual({ module: 'keras.src.models.functional', registered_name: 'Functional' });
    expect(moduleOf(fixture('residual_functional.keras').bytes)).toEqual(real);
    expect(moduleOf(fixture('nested_functional.keras').bytes)).toEqual(real);
  });

  it('recognizes an archive by content', () => {
    const renamed = { ...fixture('plain_sequential.keras'), name: 'upload.bin', path: 'upload.bin' };
    expect(kerasV3Format.recognize([renamed])).toBe(true);
    const otherZip = zipSync({ 'notes.txt': new TextEncoder().encode('hello') });
    expect(kerasV3Format.recognize([{ name: 'notes.zip', path: 'notes.zip', bytes: otherZip }])).toBe(false);
  });
});

describe('Keras 3 import errors', () => {
  const archive = (entries: Record<string, Uint8Array>): InputFile => ({ name: 'broken.keras', path: 'broken.keras', bytes: zipSync(entries) });
  const entriesOf = (name: string) => unzipSync(fixture(name).bytes);

  it('names a zip without config.json', () => {
    expect(() => kerasV3Format.import([archive({ 'metadata.json': new Uint8Array(2) })])).toThrow(/'broken.keras' is a zip archive without config.json.*metadata.json/);
  });

  it('names a config without weights', () => {
    const { 'config.json': config } = entriesOf('plain_sequential.keras');
    expect(() => kerasV3Format.import([archive({ 'config.json': config })])).toThrow(/contains config.json but no model.weights.h5/);
  });

  it('names a layer missing variables', () => {
    // The residual model's config with the Sequential model's weights: its third Conv2D has no layers/conv2d_2.
    const config = entriesOf('residual_functional.keras')['config.json'];
    const weights = entriesOf('plain_sequential.keras')['model.weights.h5'];
    expect(() => kerasV3Format.import([archive({ 'config.json': config, 'model.weights.h5': weights })])).toThrow(
      /Layer 'stem_bn' \(BatchNormalization\) needs 4 variables .* at 'layers\/batch_normalization\/vars'.*contains 3/,
    );
  });
});

describe('tf.keras 2.13 .keras layout', () => {
  it('reads variables stored by layer name', async () => {
    // The residual model's layer names (stem, inner, ...) differ from its class-based storage names.
    const original = kerasV3Format.import([fixture('residual_functional.keras')]);
    const weights = await writeHdf5((root) => {
      root.create_group('vars');
      for (const node of original.graph.nodes) {
        nodeWeights(node).forEach(([, tensor], index) =>
          writeFloat32Dataset(root, `_layer_checkpoint_dependencies/${node.name}/vars/${index}`, tensor.shape, tensor.values),
        );
      }
    });
    const { 'config.json': config } = unzipSync(fixture('residual_functional.keras').bytes);
    const legacy = kerasV3Format.import([{ name: 'old.keras', path: 'old.keras', bytes: zipSync({ 'config.json': config, 'model.weights.h5': weights }) }]);
    expect(graphSummary(legacy.graph)).toEqual(graphSummary(original.graph));
    expect(legacy.notes.some((note) => note.includes('tf.keras 2.13-2.15 layout'))).toBe(true);
  });
});

describe('Keras 3 export', () => {
  it('round-trips a pruned residual model', async () => {
    const model = kerasV3Format.import([fixture('residual_functional.keras')]);
    const { dependencies, pruned } = await analyzeAndPrune(model.graph);
    // Filter 5 is twice filter 1, so exactly one of the two goes.
    expect(dependentChannels(dependencies, 'inner')).toHaveLength(1);
    expect([1, 5]).toContain(dependentChannels(dependencies, 'inner')[0]);

    const [file] = await kerasV3Format.export(model, pruned, KERAS_V3_EXPORT_TARGET.id);
    expect(file.name).toBe('residual_functional.keras');
    const reread = kerasV3Format.import([asInputFile(file)]);
    expect(graphSummary(reread.graph)).toEqual(graphSummary(pruned));
    expect(maxAbsDifference(run(reread.graph), run(pruned))).toBe(0);
    expect(maxAbsDifference(run(reread.graph), golden.expectedOutputs['residual_functional.keras'])).toBeLessThan(1e-5);
  });

  it('edits config, keeps metadata, drops optimizer', async () => {
    const model = kerasV3Format.import([fixture('residual_functional.keras')]);
    const { pruned } = await analyzeAndPrune(model.graph);
    const [file] = await kerasV3Format.export(model, pruned);
    const written = unzipSync(file.bytes);
    expect(Object.keys(written)).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(written['metadata.json']).toEqual(unzipSync(fixture('residual_functional.keras').bytes)['metadata.json']);

    const layers = JSON.parse(text(written['config.json'])).config.layers as Record<string, any>[];
    const byName = (name: string) => layers.find((layer) => layer.name === name)!;
    expect(byName('inner').config.filters).toBe(5);
    expect(byName('back').build_config.input_shape).toEqual([null, 8, 8, 5]);
    expect(byName('back').inbound_nodes[0].args[0].config.shape).toEqual([null, 8, 8, 5]);
    expect(byName('stem').config.kernel_regularizer.class_name).toBe('Orthogonality');

    const weights = new hdf5.File(written['model.weights.h5'].slice().buffer, 'model.weights.h5');
    expect([...weights.keys].sort()).toEqual(['layers', 'vars']);
    expect((weights.get('layers') as hdf5.Group).keys).toContain('input_layer');
    expect((weights.get('layers/conv2d_2/vars/0') as hdf5.Dataset).shape).toEqual([3, 3, 5, 4]);
  });

  it('round-trips a Sequential pruned across Flatten', async () => {
    const model = kerasV3Format.import([fixture('plain_sequential.keras')]);
    const { dependencies, pruned } = await analyzeAndPrune(model.graph);
    expect(dependentChannels(dependencies, 'conv2d')).toHaveLength(1);
    const [file] = await kerasV3Format.export(model, pruned);
    const reread = kerasV3Format.import([asInputFile(file)]);
    expect(graphSummary(reread.graph)).toEqual(graphSummary(pruned));
    expect(maxAbsDifference(run(reread.graph), golden.expectedOutputs['plain_sequential.keras'])).toBeLessThan(1e-5);
  });

  it('prunes across a nested model boundary', async () => {
    const model = kerasV3Format.import([fixture('nested_functional.keras')]);
    const { dependencies, pruned } = await analyzeAndPrune(model.graph);
    expect(dependentChannels(dependencies, 'outer_conv')).toHaveLength(1);
    expect(dependentChannels(dependencies, 'block_conv')).toHaveLength(1);

    const [file] = await kerasV3Format.export(model, pruned);
    const written = unzipSync(file.bytes);
    const outer = JSON.parse(text(written['config.json'])).config.layers as Record<string, any>[];
    const block = outer.find((layer) => layer.name === 'block')!;
    expect(block.build_config.input_shape).toEqual([null, 8, 8, 3]);
    expect(block.config.build_input_shape).toEqual([null, 8, 8, 3]);
    expect(block.config.layers[0].config.batch_shape).toEqual([null, 8, 8, 3]);
    expect(block.config.layers[1].config.filters).toBe(4);
    expect(block.config.layers[2].build_config.input_shape).toEqual([null, 8, 8, 4]);

    const weights = new hdf5.File(written['model.weights.h5'].slice().buffer, 'model.weights.h5');
    expect([...(weights.get('layers/sequential/layers') as hdf5.Group).keys].sort()).toEqual(['conv2d', 'conv2d_1']);
    const reread = kerasV3Format.import([asInputFile(file)]);
    expect(graphSummary(reread.graph)).toEqual(graphSummary(pruned));
    expect(maxAbsDifference(run(reread.graph), golden.expectedOutputs['nested_functional.keras'])).toBeLessThan(1e-5);
  });

  it('rejects TF.js export of a nested model', async () => {
    const model = kerasV3Format.import([fixture('nested_functional.keras')]);
    await expect(kerasV3Format.export(model, model.graph, TFJS_EXPORT_TARGET.id)).rejects.toThrow(/nests another model.*Export it as .keras/);
  });

  it('writes TF.js files that load', async () => {
    for (const name of ['residual_functional.keras', 'plain_sequential.keras']) {
      const model = kerasV3Format.import([fixture(name)]);
      const { pruned } = await analyzeAndPrune(model.graph);
      const [json, shard] = await kerasV3Format.export(model, pruned, TFJS_EXPORT_TARGET.id);
      const modelJson = JSON.parse(text(json.bytes));
      const loaded = await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: shard.bytes.slice().buffer }),
      );
      const input = tf.tensor(golden.input, [1, ...golden.inputShape]);
      const output = (loaded.predict(input) as tf.Tensor).dataSync();
      expect(maxAbsDifference(output, run(pruned)), name).toBeLessThan(1e-5);
      input.dispose();
      loaded.dispose();
    }
  });
});
