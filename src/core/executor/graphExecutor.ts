import * as tf from '@tensorflow/tfjs';
import { nodeWeights } from '../graph/graphQueries';
import type { ActivationName, GraphNode, ModelGraph, WeightTensor } from '../graph/types';
import { inferShapes } from '../graph/shapes';
import { applyActivation, applyKerasRelu } from './activations';
import { KerasLayerRunner } from './kerasLayerRunner';

export interface ExecutionResult {
  /** One tensor per graph output, in `graph.outputs` order. */
  outputs: tf.Tensor[];
  /** The output of each requested tap node. */
  taps: Map<string, tf.Tensor>;
}

/**
 * Runs a model graph with TensorFlow.js ops on the active backend. Weight
 * tensors are uploaded once and kept until `dispose()`; every intermediate
 * tensor of a run is freed except the outputs and taps the caller receives.
 */
export class GraphExecutor {
  private readonly weights = new Map<string, tf.Tensor>();
  private readonly kerasLayers = new Map<string, KerasLayerRunner>();

  constructor(readonly graph: ModelGraph) {
    const shapes = graph.nodes.some((node) => node.op === 'KerasLayer') ? inferShapes(graph) : null;
    for (const node of graph.nodes) {
      if (node.op === 'KerasLayer') {
        this.kerasLayers.set(node.name, new KerasLayerRunner(node, node.inputs.map((input) => shapes!.get(input)!)));
        continue;
      }
      for (const [role, tensor] of nodeWeights(node)) {
        this.weights.set(`${node.name}/${role}`, tf.tensor(tensor.values, tensor.shape, 'float32'));
      }
    }
  }

  private weight(node: GraphNode, role: string): tf.Tensor {
    const tensor = this.weights.get(`${node.name}/${role}`);
    if (!tensor) throw new Error(`Layer '${node.name}' has no '${role}' weight.`);
    return tensor;
  }

  private hasWeight(node: GraphNode, role: string): boolean {
    return this.weights.has(`${node.name}/${role}`);
  }

  private biasAndActivation(node: GraphNode & { bias: WeightTensor | null; activation: ActivationName }, y: tf.Tensor): tf.Tensor {
    const biased = node.bias ? tf.add(y, this.weight(node, 'bias')) : y;
    return applyActivation(biased, node.activation);
  }

  private runNode(node: GraphNode, inputs: tf.Tensor[]): tf.Tensor {
    const [x] = inputs;
    switch (node.op) {
      case 'Input':
        return x;
      case 'Conv2D': {
        const kernel = this.weight(node, 'kernel') as tf.Tensor4D;
        return this.biasAndActivation(node, tf.conv2d(x as tf.Tensor4D, kernel, node.strides, node.padding, 'NHWC', node.dilation));
      }
      case 'DepthwiseConv2D': {
        const kernel = this.weight(node, 'kernel') as tf.Tensor4D;
        return this.biasAndActivation(node, tf.depthwiseConv2d(x as tf.Tensor4D, kernel, node.strides, node.padding, 'NHWC', node.dilation));
      }
      case 'SeparableConv2D': {
        const depthwise = this.weight(node, 'depthwiseKernel') as tf.Tensor4D;
        const pointwise = this.weight(node, 'pointwiseKernel') as tf.Tensor4D;
        return this.biasAndActivation(node, tf.separableConv2d(x as tf.Tensor4D, depthwise, pointwise, node.strides, node.padding, node.dilation));
      }
      case 'PReLU':
        return tf.prelu(x, this.weight(node, 'alpha'));
      case 'Add':
        return tf.addN(inputs);
      case 'Concatenate':
        return tf.concat(inputs, -1);
      case 'Reshape':
        return tf.reshape(x, [x.shape[0], ...node.targetShape]);
      case 'KerasLayer':
        return this.kerasLayers.get(node.name)!.run(inputs);
      case 'Dense': {
        const flatInput = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1]]);
        let y: tf.Tensor = tf.matMul(flatInput as tf.Tensor2D, this.weight(node, 'kernel') as tf.Tensor2D);
        if (x.rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), node.units]);
        return this.biasAndActivation(node, y);
      }
      case 'Activation':
        return applyActivation(x, node.activation);
      case 'ReLU':
        return applyKerasRelu(x, node);
      case 'LeakyReLU':
        return tf.leakyRelu(x, node.alpha);
      case 'MaxPool2D':
        return tf.maxPool(x as tf.Tensor4D, node.poolSize, node.strides, node.padding);
      case 'AvgPool2D':
        return tf.avgPool(x as tf.Tensor4D, node.poolSize, node.strides, node.padding);
      case 'GlobalAvgPool':
        return tf.mean(x, [1, 2]);
      case 'GlobalMaxPool':
        return tf.max(x, [1, 2]);
      case 'ZeroPadding2D':
        return tf.pad(x, [[0, 0], node.padding[0], node.padding[1], [0, 0]]);
      case 'Flatten':
        return tf.reshape(x, [x.shape[0], -1]);
      case 'BatchNorm':
        return tf.batchNorm(
          x,
          this.weight(node, 'movingMean'),
          this.weight(node, 'movingVariance'),
          this.hasWeight(node, 'beta') ? this.weight(node, 'beta') : undefined,
          this.hasWeight(node, 'gamma') ? this.weight(node, 'gamma') : undefined,
          node.epsilon,
        );
      case 'Identity':
        return x;
    }
  }

  /** Runs one batch (NHWC float32) and returns the outputs plus the outputs of `tapNodes`. */
  run(input: tf.Tensor, tapNodes: string[] = []): ExecutionResult {
    const [outputs, taps] = tf.tidy(() => {
      const values = new Map<string, tf.Tensor>();
      for (const node of this.graph.nodes) {
        const inputs = node.op === 'Input' ? [input] : node.inputs.map((name) => values.get(name)!);
        values.set(node.name, this.runNode(node, inputs));
      }
      const pick = (name: string): tf.Tensor => {
        const value = values.get(name);
        if (!value) throw new Error(`Node '${name}' is not in model '${this.graph.name}'.`);
        // The input node returns the caller's tensor; clone so the tidy owns what it returns.
        return value === input ? tf.clone(value) : value;
      };
      return [this.graph.outputs.map(pick), tapNodes.map(pick)];
    });
    return { outputs, taps: new Map(tapNodes.map((name, i) => [name, taps[i]])) };
  }

  dispose(): void {
    for (const tensor of this.weights.values()) tensor.dispose();
    this.weights.clear();
    for (const runner of this.kerasLayers.values()) runner.dispose();
    this.kerasLayers.clear();
  }
}
