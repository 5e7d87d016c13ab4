import { describe, expect, it } from 'vitest';
import type { Conv2DNode, DenseNode } from '../../graph/types';
import { getNode } from '../../graph/graphQueries';
import type { InputFile } from '../inputFile';
import type { TfjsModelJson, WeightsManifestEntry } from './modelJson';
import { tfjsLayersFormat } from './tfjsLayersFormat';

const CONV_KERNEL = Float32Array.from({ length: 1 * 1 * 2 * 3 }, (_, i) => i + 1);
const CONV_BIAS = Float32Array.from([0.5, -0.5, 0.25]);
const DENSE_KERNEL = Float32Array.from({ length: 3 * 2 }, (_, i) => i / 10);

function sequentialTopology(): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name: 'tiny',
      layers: [
        { class_name: 'Conv2D', config: { name: 'conv', batch_input_shape: [null, 4, 4, 2], filters: 3, kernel_size: [1, 1], activation: 'relu', use_bias: true, kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } } } },
        { class_name: 'GlobalAveragePooling2D', config: { name: 'gap' } },
        { class_name: 'Dense', config: { name: 'logits', units: 2, activation: 'softmax', use_bias: false } },
      ],
    },
  };
}

function manifestEntries(): WeightsManifestEntry[] {
  return [
    { name: 'conv/kernel', shape: [1, 1, 2, 3], dtype: 'float32' },
    { name: 'conv/bias', shape: [3], dtype: 'float32' },
    { name: 'logits/kernel', shape: [3, 2], dtype: 'float32' },
  ];
}

function float32Bytes(...arrays: Float32Array[]): Uint8Array {
  const joined = new Float32Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    joined.set(array, offset);
    offset += array.length;
  }
  return new Uint8Array(joined.buffer);
}

function file(name: string, bytes: Uint8Array | string): InputFile {
  return { name, path: name, bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes };
}

function modelFiles(modelJson: TfjsModelJson, shards: Record<string, Uint8Array>): InputFile[] {
  return [file('model.json', JSON.stringify(modelJson)), ...Object.entries(shards).map(([name, bytes]) => file(name, bytes))];
}

function baseModelJson(paths: string[]): TfjsModelJson {
  return {
    format: 'layers-model',
    modelTopology: { model_config: sequentialTopology() },
    weightsManifest: [{ paths, weights: manifestEntries() }],
  };
}

describe('TF.js LayersModel import', () => {
  it('reads a sequential model and its weights', () => {
    const weights = float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL);
    const model = tfjsLayersFormat.import(modelFiles(baseModelJson(['group1-shard1of1.bin']), { 'group1-shard1of1.bin': weights }));
    expect(model.graph.name).toBe('tiny');
    expect(model.graph.nodes.map((node) => node.op)).toEqual(['Input', 'Conv2D', 'GlobalAvgPool', 'Dense']);
    const conv = getNode(model.graph, 'conv') as Conv2DNode;
    expect(Array.from(conv.kernel.values)).toEqual(Array.from(CONV_KERNEL));
    expect(Array.from(conv.bias!.values)).toEqual(Array.from(CONV_BIAS));
    expect((getNode(model.graph, 'logits') as DenseNode).bias).toBeNull();
  });

  it('matches shards without extension and ./ paths, split over groups', () => {
    const modelJson = baseModelJson([]);
    const [kernel, bias, dense] = manifestEntries();
    modelJson.weightsManifest = [
      { paths: ['./conv.weights'], weights: [kernel, bias] },
      { paths: ['dense-shard1', 'dense-shard2'], weights: [dense] },
    ];
    const denseBytes = float32Bytes(DENSE_KERNEL);
    const model = tfjsLayersFormat.import(
      modelFiles(modelJson, {
        'conv.weights': float32Bytes(CONV_KERNEL, CONV_BIAS),
        'dense-shard1': denseBytes.slice(0, 8),
        'dense-shard2': denseBytes.slice(8),
      }),
    );
    const logits = getNode(model.graph, 'logits') as DenseNode;
    expect(Array.from(logits.kernel.values)).toEqual(Array.from(DENSE_KERNEL));
  });

  it('reads a topology without model_config and format', () => {
    const modelJson = baseModelJson(['weights.bin']);
    modelJson.modelTopology = sequentialTopology();
    delete modelJson.format;
    const model = tfjsLayersFormat.import(modelFiles(modelJson, { 'weights.bin': float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL) }));
    expect(model.graph.nodes).toHaveLength(4);
  });

  it('dequantizes uint8 and float16 weights', () => {
    const modelJson = baseModelJson(['q.bin']);
    const [kernel, bias, dense] = manifestEntries();
    modelJson.weightsManifest[0].weights = [
      { ...kernel, quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { ...bias, quantization: { dtype: 'float16' } },
      dense,
    ];
    const kernelBytes = Uint8Array.from([0, 1, 2, 3, 4, 255]);
    // float16 bit patterns of 1.0, -2.0 and 0.5.
    const biasBytes = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800]).buffer);
    const bytes = new Uint8Array([...kernelBytes, ...biasBytes, ...float32Bytes(DENSE_KERNEL)]);
    const model = tfjsLayersFormat.import(modelFiles(modelJson, { 'q.bin': bytes }));
    const conv = getNode(model.graph, 'conv') as Conv2DNode;
    expect(Array.from(conv.kernel.values)).toEqual([-1, -0.5, 0, 0.5, 1, 126.5]);
    expect(Array.from(conv.bias!.values)).toEqual([1, -2, 0.5]);
    expect(model.notes[0]).toContain('dequantized');
  });

  it('reads a functional model in Keras 2 and Keras 3 forms', () => {
    const keras2Inbound = (name: string) => [[[name, 0, 0, {}]]];
    const keras3Inbound = (name: string) => [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: [name, 0, 0] } }], kwargs: {} }];
    for (const inbound of [keras2Inbound, keras3Inbound]) {
      const topology = {
        class_name: 'Functional',
        config: {
          name: 'functional_tiny',
          layers: [
            { class_name: 'InputLayer', name: 'image', config: { name: 'image', batch_shape: [null, 4, 4, 2] }, inbound_nodes: [] },
            { class_name: 'Conv2D', name: 'conv', config: { name: 'conv', filters: 3, kernel_size: 1, activation: 'relu' }, inbound_nodes: inbound('image') },
            { class_name: 'GlobalAveragePooling2D', name: 'gap', config: { name: 'gap' }, inbound_nodes: inbound('conv') },
            { class_name: 'Dense', name: 'logits', config: { name: 'logits', units: 2, use_bias: false }, inbound_nodes: inbound('gap') },
          ],
          input_layers: [['image', 0, 0]],
          output_layers: [['logits', 0, 0]],
        },
      };
      const modelJson = baseModelJson(['w.bin']);
      modelJson.modelTopology = { model_config: topology };
      const model = tfjsLayersFormat.import(modelFiles(modelJson, { 'w.bin': float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL) }));
      expect(model.graph.inputs).toEqual(['image']);
      expect(model.graph.outputs).toEqual(['logits']);
      expect(getNode(model.graph, 'gap').inputs).toEqual(['conv']);
    }
  });
});

describe('TF.js LayersModel import errors', () => {
  it('names a missing shard', () => {
    expect(() => tfjsLayersFormat.import([file('model.json', JSON.stringify(baseModelJson(['group1-shard1of1.bin'])))])).toThrow(
      /Weight file 'group1-shard1of1.bin'.*was not provided/,
    );
  });

  it('rejects a shard of the wrong size', () => {
    const files = modelFiles(baseModelJson(['w.bin']), { 'w.bin': float32Bytes(CONV_KERNEL, CONV_BIAS) });
    expect(() => tfjsLayersFormat.import(files)).toThrow(/hold 36 bytes, but the manifest needs more/);
    const tooLong = modelFiles(baseModelJson(['w.bin']), { 'w.bin': float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL, CONV_BIAS) });
    expect(() => tfjsLayersFormat.import(tooLong)).toThrow(/describes 60/);
  });

  it('names an unsupported layer class', () => {
    const modelJson = baseModelJson(['w.bin']);
    const layers = (sequentialTopology().config as { layers: unknown[] }).layers;
    layers.splice(1, 0, { class_name: 'Lambda', config: { name: 'custom' } });
    modelJson.modelTopology = { model_config: { class_name: 'Sequential', config: { name: 'tiny', layers } } };
    const files = modelFiles(modelJson, { 'w.bin': float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL) });
    expect(() => tfjsLayersFormat.import(files)).toThrow(/Layer 'custom' \(Lambda\): layer class 'Lambda' is neither built into TensorFlow.js nor supported/);
  });

  it('does not recognize other JSON', () => {
    expect(tfjsLayersFormat.recognize([file('labels.json', '{"a": 1}')])).toBe(false);
  });
});

describe('TF.js LayersModel export', () => {
  it('writes the edited graph into a copy of the document', async () => {
    const original = baseModelJson(['group1-shard1of1.bin']);
    (original as Record<string, unknown>).userDefinedMetadata = { owner: 'kept' };
    const model = tfjsLayersFormat.import(modelFiles(original, { 'group1-shard1of1.bin': float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL) }));
    const conv = getNode(model.graph, 'conv') as Conv2DNode;
    const logits = getNode(model.graph, 'logits') as DenseNode;
    const edited = {
      ...model.graph,
      nodes: model.graph.nodes.map((node) => {
        if (node === conv) return { ...conv, filters: 2, kernel: { ...conv.kernel, shape: [1, 1, 2, 2], values: new Float32Array(4) }, bias: { ...conv.bias!, shape: [2], values: new Float32Array(2) } };
        if (node === logits) return { ...logits, kernel: { ...logits.kernel, shape: [2, 2], values: new Float32Array(4) } };
        return node;
      }),
    };
    const [json, shard] = await tfjsLayersFormat.export(model, edited);
    const written = JSON.parse(new TextDecoder().decode(json.bytes));
    expect(written.userDefinedMetadata).toEqual({ owner: 'kept' });
    expect(written.modelTopology.model_config.config.layers[0].config.filters).toBe(2);
    expect(written.weightsManifest[0].weights.map((entry: WeightsManifestEntry) => entry.shape)).toEqual([[1, 1, 2, 2], [2], [2, 2]]);
    expect(shard.bytes.byteLength).toBe((4 + 2 + 4) * 4);
    expect(original.modelTopology.model_config).toEqual(sequentialTopology());
  });
});

describe('TF.js LayersModel import of bad files', () => {
  it('names invalid JSON', () => {
    expect(() => tfjsLayersFormat.import([file('model.json', '{"modelTopology": {')])).toThrow(/'model.json' is not valid JSON/);
  });

  it('names JSON that is not a LayersModel', () => {
    expect(() => tfjsLayersFormat.import([file('model.json', '{"format": "graph-model"}')])).toThrow(
      /'model.json' is JSON but not a TF.js LayersModel/,
    );
  });

  it('rejects non-finite weights', () => {
    const weights = float32Bytes(CONV_KERNEL, Float32Array.from([0, NaN, 0]), DENSE_KERNEL);
    const files = modelFiles(baseModelJson(['w.bin']), { 'w.bin': weights });
    expect(() => tfjsLayersFormat.import(files)).toThrow(/Weight 'conv\/bias' contains NaN at element 1/);
  });
});

describe('TF.js LayersModel variants', () => {
  it('ignores a stray batch_input_shape on a later layer', () => {
    const modelJson = baseModelJson(['w.bin']);
    const topology = sequentialTopology();
    const layers = (topology.config as { layers: { config: Record<string, unknown> }[] }).layers;
    layers[2].config.batch_input_shape = [null, 99];
    modelJson.modelTopology = { model_config: topology };
    const model = tfjsLayersFormat.import(modelFiles(modelJson, { 'w.bin': float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL) }));
    expect(model.graph.nodes[0]).toMatchObject({ op: 'Input', shape: [4, 4, 2] });
    expect(getNode(model.graph, 'logits').inputs).toEqual(['gap']);
  });

  it('keeps every output of a multi-output model', () => {
    const inbound = (name: string) => [[[name, 0, 0, {}]]];
    const topology = {
      class_name: 'Functional',
      config: {
        name: 'two_heads',
        layers: [
          { class_name: 'InputLayer', name: 'image', config: { name: 'image', batch_input_shape: [null, 4, 4, 2] }, inbound_nodes: [] },
          { class_name: 'Conv2D', name: 'conv', config: { name: 'conv', filters: 3, kernel_size: [1, 1] }, inbound_nodes: inbound('image') },
          { class_name: 'GlobalAveragePooling2D', name: 'gap', config: { name: 'gap' }, inbound_nodes: inbound('conv') },
          { class_name: 'Dense', name: 'logits', config: { name: 'logits', units: 2, use_bias: false }, inbound_nodes: inbound('gap') },
          { class_name: 'Activation', name: 'features', config: { name: 'features', activation: 'relu' }, inbound_nodes: inbound('gap') },
        ],
        input_layers: [['image', 0, 0]],
        output_layers: [['logits', 0, 0], ['features', 0, 0]],
      },
    };
    const modelJson = baseModelJson(['w.bin']);
    modelJson.modelTopology = { model_config: topology };
    const model = tfjsLayersFormat.import(modelFiles(modelJson, { 'w.bin': float32Bytes(CONV_KERNEL, CONV_BIAS, DENSE_KERNEL) }));
    expect(model.graph.outputs).toEqual(['logits', 'features']);
  });
});
