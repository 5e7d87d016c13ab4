import { kerasLayerOutputShape } from '../executor/kerasLayerRunner';
import type { GraphNode, ModelGraph, Padding } from './types';

/** Per-node output shape without the batch dimension (NHWC, so [H, W, C] or [units]). */
export type ShapeMap = Map<string, number[]>;

/** Output length along one spatial axis, with TensorFlow's 'valid'/'same' rules. */
function spatialOutput(size: number, kernel: number, stride: number, dilation: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(size / stride);
  const effectiveKernel = (kernel - 1) * dilation + 1;
  return Math.floor((size - effectiveKernel) / stride) + 1;
}

function resolveReshape(name: string, input: number[], target: number[]): number[] {
  const size = input.reduce((product, n) => product * n, 1);
  const known = target.filter((n) => n !== -1).reduce((product, n) => product * n, 1);
  const shape = target.map((n) => (n === -1 ? size / known : n));
  if (shape.reduce((product, n) => product * n, 1) !== size || !shape.every(Number.isInteger)) {
    throw new Error(`Layer '${name}' (Reshape) cannot reshape [${input.join(', ')}] to [${target.join(', ')}].`);
  }
  return shape;
}

function expectRank(node: GraphNode, shape: number[], rank: number): void {
  if (shape.length !== rank) {
    throw new Error(`Layer '${node.name}' (${node.op}) expects a rank-${rank + 1} input (with batch), got [batch, ${shape.join(', ')}].`);
  }
}

function outputShape(node: GraphNode, inputShapes: number[][]): number[] {
  const [input] = inputShapes;
  switch (node.op) {
    case 'Input':
      return [...node.shape];
    case 'Conv2D': {
      expectRank(node, input, 3);
      const height = spatialOutput(input[0], node.kernelSize[0], node.strides[0], node.dilation[0], node.padding);
      const width = spatialOutput(input[1], node.kernelSize[1], node.strides[1], node.dilation[1], node.padding);
      return [height, width, node.filters];
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      expectRank(node, input, 3);
      const height = spatialOutput(input[0], node.kernelSize[0], node.strides[0], node.dilation[0], node.padding);
      const width = spatialOutput(input[1], node.kernelSize[1], node.strides[1], node.dilation[1], node.padding);
      const channels = node.op === 'SeparableConv2D' ? node.filters : input[2] * node.depthMultiplier;
      return [height, width, channels];
    }
    case 'Add': {
      const mismatch = inputShapes.find((shape) => shape.join() !== input.join());
      if (mismatch) throw new Error(`Layer '${node.name}' (Add) sums inputs of shapes [${input.join(', ')}] and [${mismatch.join(', ')}].`);
      return [...input];
    }
    case 'Concatenate': {
      const channels = inputShapes.reduce((sum, shape) => sum + shape[shape.length - 1], 0);
      return [...input.slice(0, -1), channels];
    }
    case 'Reshape':
      return resolveReshape(node.name, input, node.targetShape);
    case 'KerasLayer':
      return kerasLayerOutputShape(node, inputShapes);
    case 'MaxPool2D':
    case 'AvgPool2D': {
      expectRank(node, input, 3);
      const height = spatialOutput(input[0], node.poolSize[0], node.strides[0], 1, node.padding);
      const width = spatialOutput(input[1], node.poolSize[1], node.strides[1], 1, node.padding);
      return [height, width, input[2]];
    }
    case 'ZeroPadding2D': {
      expectRank(node, input, 3);
      const [[top, bottom], [left, right]] = node.padding;
      return [input[0] + top + bottom, input[1] + left + right, input[2]];
    }
    case 'GlobalAvgPool':
    case 'GlobalMaxPool':
      expectRank(node, input, 3);
      return [input[2]];
    case 'Flatten':
      return [input.reduce((product, size) => product * size, 1)];
    case 'Dense':
      return [...input.slice(0, -1), node.units];
    case 'Activation':
    case 'PReLU':
    case 'ReLU':
    case 'LeakyReLU':
    case 'BatchNorm':
    case 'Identity':
      return [...input];
  }
}

/** Infers every node's output shape from the input shapes, in topological order. */
export function inferShapes(graph: ModelGraph): ShapeMap {
  const shapes: ShapeMap = new Map();
  for (const node of graph.nodes) {
    const inputShapes = node.inputs.map((name) => {
      const shape = shapes.get(name);
      if (!shape) throw new Error(`Layer '${node.name}' reads '${name}', which comes later or does not exist.`);
      return shape;
    });
    shapes.set(node.name, outputShape(node, inputShapes));
  }
  return shapes;
}
