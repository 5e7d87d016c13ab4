import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../../testing/seededRandom';
import type { InputFile } from '../inputFile';
import { OnnxModelBuilder, type AttributeValue, type TensorStorage } from './onnxModelBuilder';
import { onnxFormat } from './onnxFormat';
import { maxAbsDifference, runOnnxRuntime, runWorkbench } from '../../testing/onnxRuntimeReference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const random = seededUniform(7);

function randomValues(count: number, scale = 0.5): Float32Array {
  return Float32Array.from({ length: count }, () => random() * scale);
}

function positiveValues(count: number): Float32Array {
  return Float32Array.from({ length: count }, () => 0.5 + Math.abs(random()));
}

function asFile(bytes: Uint8Array, name = 'model.onnx'): InputFile {
  return { name, path: name, bytes };
}

interface ConvOptions {
  kernel?: number;
  group?: number;
  bias?: boolean;
  storage?: TensorStorage;
  attributes?: Record<string, AttributeValue>;
}

/** Adds a Conv with random weights named after its output. */
function conv(builder: OnnxModelBuilder, input: string, output: string, inChannels: number, outChannels: number, options: ConvOptions = {}): OnnxModelBuilder {
  const { kernel = 3, group = 1, bias = true, storage = 'raw', attributes = {} } = options;
  const inPerGroup = inChannels / group;
  builder.initializer(`${output}.weight`, [outChannels, inPerGroup, kernel, kernel], randomValues(outChannels * inPerGroup * kernel * kernel), storage);
  if (bias) builder.initializer(`${output}.bias`, [outChannels], randomValues(outChannels, 0.1), storage);
  const inputs = [input, `${output}.weight`, ...(bias ? [`${output}.bias`] : [])];
  return builder.node('Conv', inputs, [output], { kernel_shape: [kernel, kernel], group, ...attributes });
}

function batchNorm(builder: OnnxModelBuilder, input: string, output: string, channels: number, storage: TensorStorage = 'raw'): OnnxModelBuilder {
  builder.initializer(`${output}.scale`, [channels], positiveValues(channels), storage);
  builder.initializer(`${output}.b`, [channels], randomValues(channels), storage);
  builder.initializer(`${output}.mean`, [channels], randomValues(channels), storage);
  builder.initializer(`${output}.var`, [channels], positiveValues(channels), storage);
  return builder.node('BatchNormalization', [input, `${output}.scale`, `${output}.b`, `${output}.mean`, `${output}.var`], [output], { epsilon: 1e-3 });
}

function gemm(builder: OnnxModelBuilder, input: string, output: string, inUnits: number, units: number, attributes: Record<string, AttributeValue> = {}, biasDims = [units]): OnnxModelBuilder {
  const transposed = attributes.transB === 1;
  builder.initializer(`${output}.B`, transposed ? [units, inUnits] : [inUnits, units], randomValues(inUnits * units, 0.2));
  builder.initializer(`${output}.C`, biasDims, randomValues(units, 0.1));
  return builder.node('Gemm', [input, `${output}.B`, `${output}.C`], [output], attributes);
}

/** Builds a model from x [batch, 3, 8, 8] to one output 'y'. */
function model(body: (builder: OnnxModelBuilder) => void, options: { opset?: number; batch?: number | string; size?: number } = {}): Uint8Array {
  const builder = new OnnxModelBuilder(options.opset ?? 13);
  builder.input('x', [options.batch ?? 'N', 3, options.size ?? 8, options.size ?? 8]);
  body(builder);
  return builder.output('y').build();
}

interface OpCase {
  name: string;
  bytes: () => Uint8Array;
  /** Input batch; 1 for models with a fixed batch of one. */
  batch?: number;
  size?: number;
  /** Graph ops the import must produce, in order (Input left out). */
  ops?: string[];
}

const cases: OpCase[] = [
  {
    name: 'Conv with symmetric pads (TF same), symbolic batch, Relu',
    bytes: () => model((b) => conv(b, 'x', 'c', 3, 4, { attributes: { pads: [1, 1, 1, 1] } }).node('Relu', ['c'], ['y'])),
    ops: ['Conv2D', 'Activation'],
  },
  {
    name: 'Conv with stride 2 and asymmetric pads (zero padding + valid)',
    bytes: () => model((b) => conv(b, 'x', 'y', 3, 4, { attributes: { strides: [2, 2], pads: [0, 1, 2, 1] } }), { size: 9 }),
    size: 9,
    ops: ['ZeroPadding2D', 'Conv2D'],
  },
  {
    name: 'Conv with dilation 2 and asymmetric pads',
    bytes: () => model((b) => conv(b, 'x', 'y', 3, 4, { attributes: { dilations: [2, 2], pads: [2, 1, 1, 0] } })),
    ops: ['ZeroPadding2D', 'Conv2D'],
  },
  {
    name: 'Conv with auto_pad SAME_UPPER and stride 2 on an odd size',
    bytes: () => model((b) => conv(b, 'x', 'y', 3, 4, { attributes: { strides: [2, 2], auto_pad: 'SAME_UPPER' } }), { size: 7 }),
    size: 7,
    ops: ['Conv2D'],
  },
  {
    name: 'Conv with auto_pad SAME_LOWER',
    bytes: () => model((b) => conv(b, 'x', 'y', 3, 4, { kernel: 2, attributes: { auto_pad: 'SAME_LOWER' } })),
    ops: ['ZeroPadding2D', 'Conv2D'],
  },
  {
    name: 'Conv with auto_pad VALID, no bias, float_data weights',
    bytes: () => model((b) => conv(b, 'x', 'y', 3, 5, { bias: false, storage: 'floatData', attributes: { auto_pad: 'VALID' } })),
    ops: ['Conv2D'],
  },
  {
    name: 'depthwise Conv (group = channels, multiplier 2)',
    bytes: () => model((b) => conv(b, 'x', 'y', 3, 6, { group: 3, attributes: { pads: [1, 1, 1, 1] } })),
    ops: ['DepthwiseConv2D'],
  },
  {
    name: 'BatchNormalization after Conv (not folded), epsilon 1e-3',
    bytes: () => model((b) => batchNorm(conv(b, 'x', 'c', 3, 4), 'c', 'y', 4)),
    ops: ['Conv2D', 'BatchNorm'],
  },
  {
    name: 'Clip 0..6 (opset 13 inputs) becomes relu6, Clip 0..4 a capped ReLU',
    bytes: () =>
      model((b) =>
        conv(b, 'x', 'c', 3, 4)
          .initializer('zero', [], [0])
          .initializer('six', [], [6])
          .initializer('four', [], [0.25])
          .node('Clip', ['c', 'zero', 'six'], ['r6'])
          .node('Clip', ['r6', 'zero', 'four'], ['y']),
      ),
    ops: ['Conv2D', 'Activation', 'ReLU'],
  },
  {
    name: 'Clip with min/max attributes (opset 10)',
    bytes: () => model((b) => conv(b, 'x', 'c', 3, 4).node('Clip', ['c'], ['y'], { min: 0, max: 0.3 }), { opset: 10 }),
    ops: ['Conv2D', 'ReLU'],
  },
  {
    name: 'LeakyRelu (alpha 0.2), Sigmoid, Tanh',
    bytes: () =>
      model((b) => conv(b, 'x', 'c', 3, 4).node('LeakyRelu', ['c'], ['l'], { alpha: 0.2 }).node('Sigmoid', ['l'], ['s']).node('Tanh', ['s'], ['y'])),
    ops: ['Conv2D', 'LeakyReLU', 'Activation', 'Activation'],
  },
  {
    name: 'Elu, Selu, Softplus, Softsign, HardSigmoid with default parameters',
    bytes: () =>
      model((b) =>
        conv(b, 'x', 'c', 3, 4)
          .node('Elu', ['c'], ['e'])
          .node('Selu', ['e'], ['s'])
          .node('Softplus', ['s'], ['p'])
          .node('Softsign', ['p'], ['g'])
          .node('HardSigmoid', ['g'], ['y'], { alpha: 0.2, beta: 0.5 }),
      ),
    ops: ['Conv2D', 'Activation', 'Activation', 'Activation', 'Activation', 'Activation'],
  },
  {
    name: 'Gelu (opset 20)',
    bytes: () => model((b) => conv(b, 'x', 'c', 3, 4).node('Gelu', ['c'], ['y']), { opset: 20 }),
    ops: ['Conv2D', 'Activation'],
  },
  {
    name: 'PRelu with per-channel and shared slopes',
    bytes: () =>
      model((b) =>
        conv(b, 'x', 'c', 3, 4)
          .initializer('slopes', [4, 1, 1], randomValues(4))
          .node('PRelu', ['c', 'slopes'], ['p'])
          .initializer('shared', [1], [0.25])
          .node('PRelu', ['p', 'shared'], ['y']),
      ),
    ops: ['Conv2D', 'PReLU', 'PReLU'],
  },
  {
    name: 'MaxPool with TF-same pads and AveragePool with auto_pad SAME_UPPER (padding not counted)',
    bytes: () =>
      model((b) =>
        conv(b, 'x', 'c', 3, 4)
          .node('MaxPool', ['c'], ['m'], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] })
          .node('AveragePool', ['m'], ['y'], { kernel_shape: [2, 2], auto_pad: 'SAME_UPPER' }),
      ),
    ops: ['Conv2D', 'MaxPool2D', 'AvgPool2D'],
  },
  {
    name: 'AveragePool counting explicit padding, MaxPool with ceil_mode where it rounds the same',
    bytes: () =>
      model((b) =>
        conv(b, 'x', 'c', 3, 4)
          .node('AveragePool', ['c'], ['a'], { kernel_shape: [3, 3], pads: [1, 0, 1, 2], count_include_pad: 1 })
          .node('MaxPool', ['a'], ['y'], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }),
      ),
    ops: ['Conv2D', 'ZeroPadding2D', 'AvgPool2D', 'MaxPool2D'],
  },
  {
    name: 'GlobalAveragePool + Flatten + Gemm (transB 1) + Softmax',
    bytes: () =>
      model((b) => gemm(conv(b, 'x', 'c', 3, 6).node('GlobalAveragePool', ['c'], ['g']).node('Flatten', ['g'], ['f']), 'f', 'z', 6, 5, { transB: 1 }).node('Softmax', ['z'], ['y'])),
    ops: ['Conv2D', 'GlobalAvgPool', 'Identity', 'Dense', 'Activation'],
  },
  {
    name: 'GlobalMaxPool + Reshape [0, -1] + MatMul + Add bias + LogSoftmax',
    bytes: () =>
      model((b) =>
        conv(b, 'x', 'c', 3, 6)
          .node('GlobalMaxPool', ['c'], ['g'])
          .initializer('shape', [2], [0, -1], 'int64')
          .node('Reshape', ['g', 'shape'], ['f'])
          .initializer('W', [6, 4], randomValues(24))
          .initializer('bias', [4], randomValues(4))
          .node('MatMul', ['f', 'W'], ['m'])
          .node('Add', ['m', 'bias'], ['z'])
          .node('LogSoftmax', ['z'], ['y'], { axis: 1 }),
      ),
    ops: ['Conv2D', 'GlobalMaxPool', 'Identity', 'Dense', 'Activation'],
  },
  {
    name: 'Flatten of a multi-pixel map + Gemm (transB 0, alpha 0.5, beta 2, C [1, N]) + BatchNormalization on 2-D',
    bytes: () =>
      model((b) => batchNorm(gemm(conv(b, 'x', 'c', 3, 4, { attributes: { strides: [2, 2] } }).node('Flatten', ['c'], ['f']), 'f', 'z', 36, 5, { alpha: 0.5, beta: 2 }, [1, 5]), 'z', 'y', 5)),
    ops: ['Conv2D', 'Flatten', 'Dense', 'BatchNorm'],
  },
  {
    name: 'Reshape [1, C*H*W] with a fixed batch of 1 + Gemm',
    bytes: () =>
      model(
        (b) => gemm(conv(b, 'x', 'c', 3, 4, { attributes: { pads: [1, 1, 1, 1] } }).initializer('shape', [2], [1, 256], 'int64').node('Reshape', ['c', 'shape'], ['f']), 'f', 'y', 256, 3),
        { batch: 1 },
      ),
    batch: 1,
    ops: ['Conv2D', 'Flatten', 'Dense'],
  },
  {
    name: 'bias as a separate Add: [1, C, 1, 1] after one Conv, [C, 1, 1] after another',
    bytes: () =>
      model((b) => {
        conv(b, 'x', 'c1', 3, 4, { bias: false }).initializer('bias1', [1, 4, 1, 1], randomValues(4)).node('Add', ['c1', 'bias1'], ['a1']).node('Relu', ['a1'], ['r']);
        conv(b, 'r', 'c2', 4, 5, { bias: false }).initializer('bias2', [5, 1, 1], randomValues(5)).node('Add', ['bias2', 'c2'], ['y']);
      }),
    ops: ['Conv2D', 'Activation', 'Conv2D'],
  },
  {
    name: 'Gemm without C followed by Add of a bias, dynamic batch dimension',
    bytes: () => {
      const builder = new OnnxModelBuilder(13);
      builder.input('x', ['', 3, 8, 8]);
      conv(builder, 'x', 'c', 3, 4).node('GlobalAveragePool', ['c'], ['g']).node('Flatten', ['g'], ['f']);
      builder.initializer('W', [3, 4], randomValues(12)).initializer('bias', [1, 3], randomValues(3));
      builder.node('Gemm', ['f', 'W'], ['z'], { transB: 1 }).node('Add', ['z', 'bias'], ['y']);
      return builder.output('y').build();
    },
    ops: ['Conv2D', 'GlobalAvgPool', 'Identity', 'Dense'],
  },
  {
    name: 'residual Add and Concat on the channel axis',
    bytes: () =>
      model((b) => {
        conv(b, 'x', 'a', 3, 4, { attributes: { pads: [1, 1, 1, 1] } }).node('Relu', ['a'], ['ra']);
        conv(b, 'ra', 'c', 4, 4, { attributes: { pads: [1, 1, 1, 1] } }).node('Add', ['c', 'ra'], ['s']);
        b.node('Concat', ['s', 'ra'], ['j'], { axis: 1 });
        conv(b, 'j', 'y', 8, 3, { kernel: 1 });
      }),
    ops: ['Conv2D', 'Activation', 'Conv2D', 'Add', 'Concatenate', 'Conv2D'],
  },
  {
    name: 'Identity of a weight initializer, as PyTorch writes shared weights',
    bytes: () =>
      model((b) => {
        conv(b, 'x', 'c', 3, 3).node('Identity', ['c.weight'], ['shared_weight']);
        b.node('Relu', ['c'], ['r']).node('Conv', ['r', 'shared_weight'], ['y'], { kernel_shape: [3, 3] });
      }),
    ops: ['Conv2D', 'Activation', 'Conv2D'],
  },
  {
    name: 'Dropout and Identity pass through',
    bytes: () => model((b) => conv(b, 'x', 'c', 3, 4).node('Dropout', ['c'], ['d']).node('Identity', ['d'], ['y'])),
    ops: ['Conv2D', 'Identity', 'Identity'],
  },
  {
    name: 'Pad with a pads attribute (opset 8)',
    bytes: () => model((b) => conv(b, 'x', 'c', 3, 4).node('Pad', ['c'], ['y'], { pads: [0, 0, 1, 2, 0, 0, 0, 1], mode: 'constant' }), { opset: 8 }),
    ops: ['Conv2D', 'ZeroPadding2D'],
  },
  {
    name: 'Pad with a pads input (opset 13)',
    bytes: () => model((b) => conv(b, 'x', 'c', 3, 4).initializer('pads', [8], [0, 0, 1, 2, 0, 0, 0, 1], 'int64').node('Pad', ['c', 'pads'], ['y'])),
    ops: ['Conv2D', 'ZeroPadding2D'],
  },
];

describe('ONNX import matches onnxruntime-web', () => {
  it.each(cases)('$name', async ({ bytes, batch = 2, size = 8, ops }) => {
    const source = bytes();
    const imported = onnxFormat.import([asFile(source)]);
    if (ops) expect(imported.graph.nodes.slice(1).map((node) => node.op)).toEqual(ops);
    const dims = [batch, 3, size, size];
    const input = randomValues(dims.reduce((product, n) => product * n, 1), 1);
    const [expected] = await runOnnxRuntime(source, input, dims);
    const [actual] = await runWorkbench(imported.graph, input, dims);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-4);
  });
});
