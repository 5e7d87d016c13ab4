import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { getNode } from '../../graph/graphQueries';
import type { Conv2DNode, ModelGraph } from '../../graph/types';
import { loadTfjsExport } from '../../testing/loadTfjsExport';
import { analyzeAndPrune, dependentChannels } from '../../testing/pruneHarness';
import type { InputFile } from '../inputFile';
import type { ModelFormat } from '../modelFormat';
import { TFJS_EXPORT_TARGET } from '../tfjs/tfjsLayersFormat';
import { asInputFile, graphSummary, maxAbsDifference, runOnImage } from '../../testing/kerasGraphChecks';
import { kerasH5Format } from './kerasH5Format';
import { kerasV3Format } from './kerasV3Format';

// Files saved by Keras 3.15 itself (golden/make_real_keras_fixtures.py), with Keras's predictions.
const fixtureDir = fileURLToPath(new URL('../../../../golden/keras/real/', import.meta.url));
const golden = JSON.parse(readFileSync(`${fixtureDir}predictions.json`, 'utf8')) as {
  inputShape: number[];
  input: number[];
  expectedOutputs: Record<string, number[]>;
};
const fixture = (name: string): InputFile => ({ name, path: name, bytes: new Uint8Array(readFileSync(fixtureDir + name)) });
const run = (graph: ModelGraph) => runOnImage(graph, golden.input, golden.inputShape);

/** Each model, the layer with the planted copy of a filter, and that layer's filters before pruning. */
const models = [
  { name: 'real_sequential', planted: 'c1', filters: 6 },
  { name: 'real_depthwise', planted: 'head', filters: 5 },
  { name: 'real_nested', planted: 'b1', filters: 5 },
];
const formats: [string, ModelFormat][] = [
  ['.keras', kerasV3Format],
  ['.h5', kerasH5Format],
];
const cases = models.flatMap((model) => formats.map(([extension, format]) => ({ ...model, file: model.name + extension, extension, format })));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('files saved by Keras 3', () => {
  it.each(cases)('imports $file', ({ file, format }) => {
    const model = format.import([fixture(file)]);
    expect(model.notes.filter((note) => !note.includes('nests another model'))).toEqual([]);
    expect(maxAbsDifference(run(model.graph), golden.expectedOutputs[file])).toBeLessThan(1e-5);
  });

  it.each(cases)('prunes and reimports $file', async ({ file, format, planted, filters, extension }) => {
    const model = format.import([fixture(file)]);
    const { dependencies, pruned } = await analyzeAndPrune(model.graph);
    expect(dependentChannels(dependencies, planted)).toHaveLength(1);
    expect((getNode(pruned, planted) as Conv2DNode).kernel.shape[3]).toBe(filters - 1);
    expect(maxAbsDifference(run(pruned), golden.expectedOutputs[file])).toBeLessThan(1e-5);

    const [written] = await format.export(model, pruned);
    expect(written.name).toBe(file);
    expect(written.name.endsWith(extension)).toBe(true);
    const reread = format.import([asInputFile(written)]);
    expect(graphSummary(reread.graph)).toEqual(graphSummary(pruned));
  });

  it.each(cases.filter(({ name }) => name !== 'real_nested'))('exports $file as loadable TF.js', async ({ file, format }) => {
    const model = format.import([fixture(file)]);
    const { pruned } = await analyzeAndPrune(model.graph);
    const loaded = await loadTfjsExport(await format.export(model, pruned, TFJS_EXPORT_TARGET.id));
    const input = tf.tensor(golden.input, [1, ...golden.inputShape]);
    expect(maxAbsDifference((loaded.predict(input) as tf.Tensor).dataSync(), golden.expectedOutputs[file])).toBeLessThan(1e-5);
    input.dispose();
    loaded.dispose();
  });

  it.each(formats)('rejects nested %s TF.js export', async (extension, format) => {
    const model = format.import([fixture(`real_nested${extension}`)]);
    expect(model.notes).toContain(`The model nests another model, so it can be exported as ${extension} but not as TF.js files.`);
    expect(model.unavailableExports?.[TFJS_EXPORT_TARGET.id]).toContain('TF.js export of nested Keras 3 models is not supported');
    await expect(format.export(model, model.graph, TFJS_EXPORT_TARGET.id)).rejects.toThrow(`nests another model; TF.js export of nested Keras 3 models is not supported. Export it as ${extension} instead.`);
  });
});

describe('export file names', () => {
  const renamed = (file: string, name: string): InputFile => ({ ...fixture(file), name, path: name });

  it('renames a .keras archive named x.h5', async () => {
    const model = kerasV3Format.import([renamed('real_sequential.keras', 'x.h5')]);
    expect(model.notes).toContain("'x.h5' is a Keras 3 archive, which Keras loads from a .keras file, so the export is named 'x.keras'.");
    const [written] = await kerasV3Format.export(model, model.graph);
    expect(written.name).toBe('x.keras');
  });

  it('renames HDF5 named model.onnx', async () => {
    const model = kerasH5Format.import([renamed('real_sequential.h5', 'model.onnx')]);
    expect(model.notes).toContain("'model.onnx' is a Keras HDF5 file, which Keras loads from a .h5 file, so the export is named 'model.h5'.");
    const [written] = await kerasH5Format.export(model, model.graph);
    expect(written.name).toBe('model.h5');
  });

  it('keeps a fitting extension', async () => {
    const model = kerasH5Format.import([renamed('real_sequential.h5', 'weights.v2.hdf5')]);
    expect(model.notes).toEqual([]);
    expect((await kerasH5Format.export(model, model.graph))[0].name).toBe('weights.v2.hdf5');
    const unnamed = kerasV3Format.import([renamed('real_sequential.keras', 'upload')]);
    expect((await kerasV3Format.export(unnamed, unnamed.graph))[0].name).toBe('upload.keras');
  });
});

/** Returns real_sequential.keras with the second convolution's activation replaced. */
function withActivation(activation: string): InputFile {
  const entries = unzipSync(fixture('real_sequential.keras').bytes);
  const config = JSON.parse(strFromU8(entries['config.json']));
  config.config.layers[4].config.activation = activation;
  entries['config.json'] = strToU8(JSON.stringify(config));
  return { name: 'activation.keras', path: 'activation.keras', bytes: zipSync(entries) };
}

describe('TF.js export of Keras activations', () => {
  it('writes silu as swish', async () => {
    const model = kerasV3Format.import([withActivation('silu')]);
    const [json] = await kerasV3Format.export(model, model.graph, TFJS_EXPORT_TARGET.id);
    expect(strFromU8(json.bytes)).toContain('"activation":"swish"');
  });

  it('rejects an activation TensorFlow.js lacks', async () => {
    const model = kerasV3Format.import([withActivation('leaky_relu')]);
    await expect(kerasV3Format.export(model, model.graph, TFJS_EXPORT_TARGET.id)).rejects.toThrow(
      /TensorFlow\.js cannot load this model as TF\.js files \(Unknown activation: leakyRelu.*Download it as a \.keras file instead/,
    );
  });
});
