import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputFile } from '../formats/inputFile';
import { tfjsLayersFormat } from '../formats/tfjs/tfjsLayersFormat';
import { findPrunableLayers } from '../analysis/prunableLayers';
import { GraphExecutor } from './graphExecutor';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Builds a functional model with every layer type the executor supports, run by tfjs-layers itself. */
function referenceModel(): tf.LayersModel {
  const input = tf.input({ shape: [10, 10, 3], name: 'image' });
  const padded = tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]], name: 'pad' }).apply(input) as tf.SymbolicTensor;
  const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', name: 'conv', biasInitializer: 'randomNormal' }).apply(padded) as tf.SymbolicTensor;
  const bn = tf.layers
    .batchNormalization({ name: 'bn', gammaInitializer: 'randomUniform', betaInitializer: 'randomNormal', movingMeanInitializer: 'randomNormal', movingVarianceInitializer: 'ones' })
    .apply(conv) as tf.SymbolicTensor;
  const prelu = tf.layers.prelu({ name: 'prelu', alphaInitializer: tf.initializers.constant({ value: 0.2 }) }).apply(bn) as tf.SymbolicTensor;
  const depthwise = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, name: 'depthwise', biasInitializer: 'randomNormal' }).apply(prelu) as tf.SymbolicTensor;
  const separable = tf.layers.separableConv2d({ filters: 12, kernelSize: 3, padding: 'same', name: 'separable', activation: 'relu' }).apply(prelu) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([depthwise, separable]) as tf.SymbolicTensor;
  const relu6 = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(sum) as tf.SymbolicTensor;
  const leaky = tf.layers.leakyReLU({ alpha: 0.1, name: 'leaky' }).apply(relu6) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'concat' }).apply([leaky, prelu]) as tf.SymbolicTensor;
  const pooled = tf.layers.averagePooling2d({ poolSize: 2, name: 'avg' }).apply(joined) as tf.SymbolicTensor;
  const reshaped = tf.layers.reshape({ targetShape: [9, 18], name: 'reshape' }).apply(pooled) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flatten' }).apply(reshaped) as tf.SymbolicTensor;
  const dropped = tf.layers.dropout({ rate: 0.5, name: 'dropout' }).apply(flat) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 4, activation: 'softmax', name: 'logits' }).apply(dropped) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'every_layer' });
}

async function saveAsFiles(model: tf.LayersModel): Promise<InputFile[]> {
  let files: InputFile[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const modelJson = {
        format: 'layers-model',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      files = [
        { name: 'model.json', path: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) },
        { name: 'weights.bin', path: 'weights.bin', bytes: weights },
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

describe('GraphExecutor', () => {
  it('matches tfjs-layers on every supported layer', async () => {
    tf.randomUniform([1]).dispose();
    const reference = referenceModel();
    const input = tf.randomUniform([3, 10, 10, 3], -1, 1, 'float32', 5);
    const expected = (reference.predict(input) as tf.Tensor).arraySync() as number[][];

    const imported = tfjsLayersFormat.import(await saveAsFiles(reference));
    const executor = new GraphExecutor(imported.graph);
    const { outputs } = executor.run(input);
    const actual = outputs[0].arraySync() as number[][];
    outputs[0].dispose();
    executor.dispose();

    expect(imported.graph.nodes.map((node) => node.op)).toContain('SeparableConv2D');
    actual.forEach((row, i) => row.forEach((value, k) => expect(value).toBeCloseTo(expected[i][k], 5)));
    input.dispose();
    reference.dispose();
  });
});

/** Layers the workbench has no implementation of its own for: TensorFlow.js Layers runs them from their config. */
function modelWithTfjsOnlyLayers(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 2], name: 'image' });
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'conv', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const upsampled = tf.layers.upSampling2d({ size: [2, 2], name: 'upsample' }).apply(conv) as tf.SymbolicTensor;
  const transposed = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'transposed', biasInitializer: 'randomNormal' }).apply(upsampled) as tf.SymbolicTensor;
  const cropped = tf.layers.cropping2D({ cropping: [[1, 2], [0, 1]], name: 'crop' }).apply(transposed) as tf.SymbolicTensor;
  const product = tf.layers.multiply({ name: 'product' }).apply([cropped, cropped]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(product) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 3, name: 'logits' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'tfjs_only_layers' });
}

describe('GraphExecutor on layers TensorFlow.js runs', () => {
  it('matches tfjs-layers and blocks the channels that flow into them', async () => {
    const reference = modelWithTfjsOnlyLayers();
    const input = tf.randomUniform([2, 6, 6, 2], 0, 1, 'float32', 9);
    const expected = (reference.predict(input) as tf.Tensor).arraySync() as number[][];

    const imported = tfjsLayersFormat.import(await saveAsFiles(reference));
    expect(imported.graph.nodes.filter((node) => node.op === 'KerasLayer').map((node) => node.name)).toEqual(['upsample', 'transposed', 'crop', 'product']);
    const executor = new GraphExecutor(imported.graph);
    const { outputs } = executor.run(input);
    const actual = outputs[0].arraySync() as number[][];
    outputs[0].dispose();
    executor.dispose();
    actual.forEach((row, i) => row.forEach((value, k) => expect(value).toBeCloseTo(expected[i][k], 5)));

    const { blocked } = findPrunableLayers(imported.graph);
    expect(blocked).toEqual([{ layer: 'conv', reason: "its channels reach 'upsample' (UpSampling2D), which TensorFlow.js runs but the channel analysis does not cover." }]);
    input.dispose();
    reference.dispose();
  });
});
