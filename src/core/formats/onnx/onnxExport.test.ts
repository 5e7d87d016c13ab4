import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeWeights } from '../../graph/graphQueries';
import type { ModelGraph } from '../../graph/types';
import { analyzeAndPrune, dependentChannels } from '../../testing/pruneHarness';
import { seededUniform } from '../../testing/seededRandom';
import type { InputFile } from '../inputFile';
import { OnnxModelBuilder, UNKNOWN_FIELD_NUMBER, type TensorStorage } from './onnxModelBuilder';
import { onnxFormat } from './onnxFormat';
import { maxAbsDifference, runOnnxRuntime, runWorkbench } from '../../testing/onnxRuntimeReference';
import { onnx } from './onnxSchema';
import { readFields, readStringField } from './protobufWire';
import { GraphField } from './writeOnnxModel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function asFile(bytes: Uint8Array, name = 'model.onnx'): InputFile {
  return { name, path: name, bytes };
}

function randomValues(random: () => number, count: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, () => random() * scale);
}

/** Makes output channel `target` of an OIHW weight (and its bias) `scale` times channel `source`. */
function plantScaledCopy(weight: Float32Array, bias: Float32Array, outChannels: number, source: number, target: number, scale: number): void {
  const perFilter = weight.length / outChannels;
  for (let i = 0; i < perFilter; i++) weight[target * perFilter + i] = scale * weight[source * perFilter + i];
  bias[target] = scale * bias[source];
}

interface PlantedModel {
  bytes: Uint8Array;
  dims: number[];
}

type Variant = 'flatten' | 'reshape' | 'pooled';

/**
 * Builds conv1 (bias as a separate Add) -> Relu -> conv2 -> BatchNormalization -> Relu
 * -> MaxPool -> Flatten or Reshape -> Gemm, with planted duplicate filters in
 * conv1 and conv2. The Reshape variant imitates old exporters: IR 3 (initializers
 * listed as graph inputs), a fixed batch of 1 and float_data weights. The pooled
 * variant ends in GlobalAveragePool -> Reshape [-1, 6] -> Gemm instead.
 */
function plantedModel(variant: Variant): PlantedModel {
  const random = seededUniform(11);
  const storage: TensorStorage = variant === 'reshape' ? 'floatData' : 'raw';
  const batch = variant === 'reshape' ? 1 : 'batch';
  const features = variant === 'pooled' ? 6 : 96;
  const builder = variant === 'reshape' ? new OnnxModelBuilder(8, 3) : new OnnxModelBuilder(13, 8);
  const conv1Weight = randomValues(random, 8 * 3 * 9, 0.5);
  const conv1Bias = randomValues(random, 8, 0.1);
  plantScaledCopy(conv1Weight, conv1Bias, 8, 1, 5, 2);
  plantScaledCopy(conv1Weight, conv1Bias, 8, 2, 6, 0.5);
  const conv2Weight = randomValues(random, 6 * 8 * 9, 0.3);
  const conv2Bias = randomValues(random, 6, 0.1);
  plantScaledCopy(conv2Weight, conv2Bias, 6, 0, 4, 1);
  const bn = ['scale', 'b', 'mean', 'var'].map((role) => Float32Array.from({ length: 6 }, () => (role === 'scale' || role === 'var' ? 0.5 + Math.abs(random()) : random() * 0.3)));
  bn.forEach((values) => (values[4] = values[0]));

  builder.input('image', [batch, 3, 8, 8]);
  builder.initializer('conv1.weight', [8, 3, 3, 3], conv1Weight, storage).initializer('conv1.bias', [1, 8, 1, 1], conv1Bias, storage);
  builder.node('Conv', ['image', 'conv1.weight'], ['conv1_out'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'conv1');
  builder.node('Add', ['conv1_out', 'conv1.bias'], ['conv1_biased'], {}, 'conv1_bias_add');
  builder.node('Relu', ['conv1_biased'], ['relu1'], {}, 'relu1');
  builder.initializer('conv2.weight', [6, 8, 3, 3], conv2Weight, storage).initializer('conv2.bias', [6], conv2Bias, storage);
  builder.node('Conv', ['relu1', 'conv2.weight', 'conv2.bias'], ['conv2_out'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'conv2');
  ['scale', 'b', 'mean', 'var'].forEach((role, i) => builder.initializer(`bn.${role}`, [6], bn[i], storage));
  builder.node('BatchNormalization', ['conv2_out', 'bn.scale', 'bn.b', 'bn.mean', 'bn.var'], ['bn_out'], { epsilon: 1e-5 }, 'bn');
  builder.node('Relu', ['bn_out'], ['relu2'], {}, 'relu2');
  if (variant === 'pooled') builder.node('GlobalAveragePool', ['relu2'], ['pool'], {}, 'pool');
  else builder.node('MaxPool', ['relu2'], ['pool'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool');
  if (variant === 'flatten') {
    builder.node('Flatten', ['pool'], ['flat'], { axis: 1 }, 'flatten');
  } else {
    builder.initializer('flat_shape', [2], variant === 'pooled' ? [-1, 6] : [1, 96], 'int64');
    builder.node('Reshape', ['pool', 'flat_shape'], ['flat'], {}, 'reshape');
  }
  const transB = variant === 'reshape' ? 0 : 1;
  builder.initializer('fc.weight', transB ? [5, features] : [features, 5], randomValues(random, features * 5, 0.2), storage).initializer('fc.bias', [5], randomValues(random, 5, 0.1), storage);
  builder.node('Gemm', ['flat', 'fc.weight', 'fc.bias'], ['logits'], { transB }, 'fc');
  const pooledSize = variant === 'pooled' ? 1 : 4;
  builder.shape('conv1_out', [batch, 8, 8, 8]).shape('relu1', [batch, 8, 8, 8]).shape('bn_out', [batch, 6, 8, 8]).shape('pool', [batch, 6, pooledSize, pooledSize]).shape('flat', [batch, features]);
  builder.output('logits', [batch, 5]);
  const bytes = builder.build({ unknownFields: true, docString: 'planted duplicates', metadata: { author: 'test', license: 'MIT' } });
  return { bytes, dims: [variant === 'reshape' ? 1 : 3, 3, 8, 8] };
}

function fieldBytes(bytes: Uint8Array): string[] {
  return readFields(bytes).map((field) => `${field.fieldNumber}:${Buffer.from(field.bytes).toString('hex')}`);
}

function graphPayload(model: Uint8Array): Uint8Array {
  return readFields(model).find((field) => field.fieldNumber === 7)!.payload;
}

/** Names of the graph fields (initializer, input, value_info) that differ between two graphs with the same field order. */
function changedGraphEntries(before: Uint8Array, after: Uint8Array): string[] {
  const old = readFields(graphPayload(before));
  const updated = readFields(graphPayload(after));
  expect(updated.map((field) => field.fieldNumber)).toEqual(old.map((field) => field.fieldNumber));
  return old.flatMap((field, i) => {
    if (Buffer.compare(Buffer.from(field.bytes), Buffer.from(updated[i].bytes)) === 0) return [];
    const nameField = field.fieldNumber === GraphField.INITIALIZER ? 8 : 1;
    return [`${field.fieldNumber}:${readStringField(field.payload, nameField)}`];
  });
}

function weightShapes(graph: ModelGraph): string[] {
  return graph.nodes.flatMap((node) => nodeWeights(node).map(([role, tensor]) => `${node.name}/${role} [${tensor.shape.join(', ')}]`));
}

describe.each(['flatten', 'reshape', 'pooled'] as const)('pruning and exporting a planted %s model', (variant) => {
  it('runs the pruned export in ONNX Runtime', async () => {
    const { bytes, dims } = plantedModel(variant);
    const imported = onnxFormat.import([asFile(bytes)]);
    const { dependencies, pruned } = await analyzeAndPrune(imported.graph);
    expect(dependentChannels(dependencies, 'conv1')).toHaveLength(2);
    expect(dependentChannels(dependencies, 'conv2')).toEqual([4]);

    const [exported] = await onnxFormat.export(imported, pruned);
    expect(exported.name).toBe('model.onnx');
    const input = randomValues(seededUniform(5), dims.reduce((product, n) => product * n, 1), 1);
    const [fromExport] = await runOnnxRuntime(exported.bytes, input, dims);
    const [fromPruned] = await runWorkbench(pruned, input, dims);
    const [fromOriginal] = await runOnnxRuntime(bytes, input, dims);
    expect(maxAbsDifference(fromExport, fromPruned)).toBeLessThan(1e-4);
    expect(maxAbsDifference(fromExport, fromOriginal)).toBeLessThan(1e-4);
  });

  it('keeps unedited bytes unchanged', async () => {
    const { bytes } = plantedModel(variant);
    const imported = onnxFormat.import([asFile(bytes)]);
    const { pruned } = await analyzeAndPrune(imported.graph);
    const [exported] = await onnxFormat.export(imported, pruned);

    const outsideGraph = (model: Uint8Array) => fieldBytes(model).filter((field) => !field.startsWith('7:'));
    expect(outsideGraph(exported.bytes)).toEqual(outsideGraph(bytes));
    const expectedInitializers = ['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'bn.scale', 'bn.b', 'bn.mean', 'bn.var', 'fc.weight'];
    const changed = changedGraphEntries(bytes, exported.bytes);
    const initializerEntries = expectedInitializers.map((name) => `${GraphField.INITIALIZER}:${name}`);
    const shapeEntries = ['conv1_out', 'relu1', 'bn_out', 'pool', 'flat'].map((name) => `${GraphField.VALUE_INFO}:${name}`);
    const inputEntries = variant === 'reshape' ? expectedInitializers.map((name) => `${GraphField.INPUT}:${name}`) : [];
    const reshapeEntries = variant === 'flatten' ? [] : [`${GraphField.INITIALIZER}:flat_shape`];
    expect([...changed].sort()).toEqual([...initializerEntries, ...shapeEntries, ...inputEntries, ...reshapeEntries].sort());

    const model = onnx.ModelProto.decode(exported.bytes);
    expect(model.docString).toBe('planted duplicates');
    expect(model.metadataProps!.map(({ key, value }) => `${key}=${value}`)).toEqual(['author=test', 'license=MIT']);
    expect(model.graph!.node!.map((node) => node.name)).toEqual(onnx.ModelProto.decode(bytes).graph!.node!.map((node) => node.name));
    expect(readFields(exported.bytes).filter((field) => field.fieldNumber === UNKNOWN_FIELD_NUMBER)).toHaveLength(1);
    expect(readFields(graphPayload(exported.bytes)).filter((field) => field.fieldNumber === UNKNOWN_FIELD_NUMBER)).toHaveLength(1);
    const flatShape = model.graph!.valueInfo!.find((info) => info.name === 'flat')!.type!.tensorType!.shape!.dim!.map((dim) => dim.dimParam || Number(dim.dimValue));
    // conv2 keeps 5 of its 6 channels, on a 4x4 map or pooled to one value each.
    expect(flatShape).toEqual([variant === 'reshape' ? 1 : 'batch', variant === 'pooled' ? 5 : 5 * 16]);
  });

  it('reimports as the pruned graph', async () => {
    const { bytes } = plantedModel(variant);
    const imported = onnxFormat.import([asFile(bytes)]);
    const { pruned } = await analyzeAndPrune(imported.graph);
    const [exported] = await onnxFormat.export(imported, pruned);
    const reimported = onnxFormat.import([asFile(exported.bytes)]);
    expect(reimported.graph.nodes.map((node) => `${node.name}:${node.op}`)).toEqual(pruned.nodes.map((node) => `${node.name}:${node.op}`));
    expect(weightShapes(reimported.graph)).toEqual(weightShapes(pruned));
    const prunedWeights = pruned.nodes.flatMap((node) => nodeWeights(node));
    reimported.graph.nodes.flatMap((node) => nodeWeights(node)).forEach(([, tensor], i) => expect(maxAbsDifference(tensor.values, prunedWeights[i][1].values)).toBe(0));
  });

  it('writes an unpruned model identically', async () => {
    const { bytes } = plantedModel(variant);
    const imported = onnxFormat.import([asFile(bytes)]);
    const [exported] = await onnxFormat.export(imported, imported.graph);
    expect(Buffer.compare(Buffer.from(exported.bytes), Buffer.from(bytes))).toBe(0);
  });
});

describe('pruning through a per-channel PRelu', () => {
  it('slices the slopes and keeps their [C, 1, 1] shape', async () => {
    const random = seededUniform(21);
    const weight = randomValues(random, 4 * 3 * 9, 0.5);
    const bias = randomValues(random, 4, 0.1);
    plantScaledCopy(weight, bias, 4, 0, 3, 1);
    const slopes = Float32Array.from([0.1, 0.2, 0.3, 0.1]);
    const bytes = new OnnxModelBuilder()
      .input('x', ['N', 3, 8, 8])
      .initializer('w', [4, 3, 3, 3], weight)
      .initializer('b', [4], bias)
      .initializer('slopes', [4, 1, 1], slopes)
      .initializer('fc', [4, 2], randomValues(random, 8, 0.5))
      .node('Conv', ['x', 'w', 'b'], ['c'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'conv')
      .node('PRelu', ['c', 'slopes'], ['p'], {}, 'prelu')
      .node('GlobalAveragePool', ['p'], ['g'])
      .node('Flatten', ['g'], ['f'])
      .node('MatMul', ['f', 'fc'], ['y'])
      .output('y')
      .build();
    const imported = onnxFormat.import([asFile(bytes)]);
    const { dependencies, pruned } = await analyzeAndPrune(imported.graph);
    expect(dependentChannels(dependencies, 'conv')).toEqual([3]);

    const [exported] = await onnxFormat.export(imported, pruned);
    const slopesAfter = onnx.ModelProto.decode(exported.bytes).graph!.initializer!.find((tensor) => tensor.name === 'slopes')!;
    expect(slopesAfter.dims!.map(Number)).toEqual([3, 1, 1]);
    const dims = [2, 3, 8, 8];
    const input = randomValues(seededUniform(4), 2 * 3 * 64, 1);
    const [fromExport] = await runOnnxRuntime(exported.bytes, input, dims);
    const [fromOriginal] = await runOnnxRuntime(bytes, input, dims);
    expect(maxAbsDifference(fromExport, fromOriginal)).toBeLessThan(1e-4);
  });
});

describe('ONNX files the importer rejects by name', () => {
  const small = () => new OnnxModelBuilder().input('x', ['N', 3, 4, 4]).initializer('w', [2, 3, 1, 1], new Float32Array(6)).node('Conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1] });

  it('explains a truncated file', () => {
    const bytes = small().output('y').build();
    expect(() => onnxFormat.import([asFile(bytes.subarray(0, bytes.length - 20), 'cut.onnx')])).toThrow(/'cut\.onnx' is not a complete ONNX model: .*the file may be truncated/);
  });

  it('names an unsupported op and its node', () => {
    const bytes = small().node('HardSwish', ['y'], ['z'], {}, 'swish_1').output('z').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/Node 'swish_1' \(HardSwish\): the op HardSwish is not supported.*onnxsim/);
  });

  it('rejects weights in external data', () => {
    const bytes = new OnnxModelBuilder().input('x', ['N', 3, 4, 4]).externalInitializer('w', [2, 3, 1, 1]).node('Conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1] }).output('y').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/tensor 'w' in external data \('weights\.bin'\).*save_as_external_data=False/);
  });

  it('rejects a grouped convolution that is not depthwise', () => {
    const bytes = new OnnxModelBuilder().input('x', ['N', 4, 4, 4]).initializer('w', [4, 2, 1, 1], new Float32Array(8)).node('Conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1], group: 2 }).output('y').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/Node 'y' \(Conv\) has group 2 with 4 input channels/);
  });

  it('rejects a stride and a dilation together', () => {
    const bytes = new OnnxModelBuilder().input('x', ['N', 3, 8, 8]).initializer('w', [2, 3, 3, 3], new Float32Array(54)).node('Conv', ['x', 'w'], ['y'], { kernel_shape: [3, 3], strides: [2, 2], dilations: [2, 2] }).output('y').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/cannot combine a stride and a dilation/);
  });

  it('rejects Clip with a negative minimum', () => {
    const bytes = small().initializer('low', [], [-1]).node('Clip', ['y', 'low'], ['z']).output('z').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/clips from -1; only Clip with min 0/);
  });

  it('rejects ceil_mode that adds a partial window', () => {
    const bytes = small().node('MaxPool', ['y'], ['z'], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }).output('z').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/ceil_mode 1/);
  });

  it('rejects a flattened feature map as the model output', () => {
    const bytes = small().node('Flatten', ['y'], ['z']).output('z').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/Graph output 'z' is a flattened feature map/);
  });

  it('rejects a constant added to a layer that has its own bias', () => {
    const bytes = new OnnxModelBuilder()
      .input('x', ['N', 3, 4, 4])
      .initializer('w', [2, 3, 1, 1], new Float32Array(6))
      .initializer('b', [2], new Float32Array(2))
      .initializer('extra', [1, 2, 1, 1], new Float32Array(2))
      .node('Conv', ['x', 'w', 'b'], ['y'], { kernel_shape: [1, 1] })
      .node('Add', ['y', 'extra'], ['z'])
      .output('z')
      .build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/adds the constant 'extra' of shape \[1, 2, 1, 1\]/);
  });

  it('rejects a 4-D consumer of global pooling', () => {
    const bytes = small().node('GlobalAveragePool', ['y'], ['g']).initializer('w2', [2, 2, 1, 1], new Float32Array(4)).node('Conv', ['g', 'w2'], ['z'], { kernel_shape: [1, 1] }).output('z').build();
    expect(() => onnxFormat.import([asFile(bytes)])).toThrow(/Node 'z' \(Conv\) reads a globally pooled \[N, C, 1, 1\] tensor/);
  });

  it('rejects exporting a changed Constant-node Reshape shape', async () => {
    const builder = new OnnxModelBuilder().input('x', ['N', 3, 4, 4]);
    const kernel = Float32Array.from({ length: 3 * 3 }, (_, i) => (i % 4) - 1.5);
    // Output channel 2 doubles channel 0, so pruning removes it and the flattened length shrinks.
    kernel.set([2 * kernel[0], 2 * kernel[1], 2 * kernel[2]], 6);
    builder.initializer('w', [3, 3, 1, 1], kernel).node('Conv', ['x', 'w'], ['c'], { kernel_shape: [1, 1] }).node('Relu', ['c'], ['r']);
    builder.node('Constant', [], ['shape'], {}, 'shape_constant');
    const bytes = builder.build();
    const model = onnx.ModelProto.decode(bytes);
    const shapeTensor = { name: 'shape', dims: [2], dataType: onnx.TensorProto.DataType.INT64, int64Data: [0, 48] };
    model.graph!.node!.find((node) => node.name === 'shape_constant')!.attribute = [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: shapeTensor }];
    model.graph!.node!.push({ opType: 'Reshape', name: 'reshape', input: ['r', 'shape'], output: ['f'] });
    model.graph!.initializer!.push({ name: 'fc', dims: [48, 2], dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from({ length: 96 }, (_, i) => Math.sin(i)) });
    model.graph!.node!.push({ opType: 'MatMul', name: 'fc', input: ['f', 'fc'], output: ['y'] });
    model.graph!.output = [{ name: 'y', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }];
    const imported = onnxFormat.import([asFile(onnx.ModelProto.encode(model).finish())]);
    const { pruned } = await analyzeAndPrune(imported.graph);
    await expect(onnxFormat.export(imported, pruned)).rejects.toThrow(/Reshape 'reshape' flattens to 48 values, now 32, but its shape comes from a Constant node/);
  });

  it('recognises ONNX by content', () => {
    const bytes = small().output('y').build();
    expect(onnxFormat.recognize([asFile(bytes, 'weights.bin')])).toBe(true);
    expect(onnxFormat.recognize([asFile(new TextEncoder().encode('{"modelTopology": {}}'), 'model.json')])).toBe(false);
  });

  it('writes a misnamed model as .onnx', async () => {
    const imported = onnxFormat.import([asFile(small().output('y').build(), 'weights.bin')]);
    expect(imported.notes.join(' ')).toContain("written as 'weights.onnx'");
    const [written] = await onnxFormat.export(imported, imported.graph);
    expect(written.name).toBe('weights.onnx');
  });

  it('names an empty file', () => {
    expect(() => onnxFormat.import([asFile(new Uint8Array(0), 'empty.onnx')])).toThrow("'empty.onnx' is empty (0 bytes)");
  });

  it('rejects an attribute set twice', () => {
    const model = onnx.ModelProto.decode(small().output('y').build());
    const conv = model.graph!.node![0];
    conv.attribute = [...conv.attribute!, ...conv.attribute!];
    expect(() => onnxFormat.import([asFile(onnx.ModelProto.encode(model).finish())])).toThrow(/sets attribute 'kernel_shape' more than once/);
  });
});

describe('weights stored as float16 or double', () => {
  it('decode to the float32 values they encode', () => {
    const values = [0.5, -1.25, 3.001953125, 1e-3, -2, 0.1];
    const kernel = (storage: TensorStorage, stored = values) => {
      const bytes = new OnnxModelBuilder().input('x', ['N', 3, 4, 4]).initializer('w', [2, 3, 1, 1], stored, storage).node('Conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1] }).output('y').build();
      return Array.from(nodeWeights(onnxFormat.import([asFile(bytes)]).graph.nodes[1])[0][1].values);
    };
    expect(kernel('double')).toEqual(kernel('raw'));
    // float16 keeps 11 significant bits, so 1e-3 and 0.1 become the nearest halves.
    const halves = [0.5, -1.25, 3.001953125, 0.0010004043579101562, -2, 0.0999755859375];
    expect(kernel('float16')).toEqual(kernel('raw', halves));
  });
});
