import * as tf from '@tensorflow/tfjs';
import { GraphExecutor } from '../executor/graphExecutor';
import { nodeWeights } from '../graph/graphQueries';
import type { ModelGraph } from '../graph/types';
import type { InputFile, OutputFile } from '../formats/inputFile';

/** Test support for the Keras formats: runs graphs on a fixed input and compares graphs. */

export function asInputFile(file: OutputFile): InputFile {
  return { name: file.name, path: file.name, bytes: file.bytes };
}

/** Runs the graph on one input image (channels-last values) and returns its first output. */
export function runOnImage(graph: ModelGraph, values: number[], shape: number[]): Float32Array {
  const executor = new GraphExecutor(graph);
  const input = tf.tensor(values, [1, ...shape], 'float32');
  try {
    const { outputs } = executor.run(input);
    const result = outputs[0].dataSync() as Float32Array;
    outputs.forEach((output) => output.dispose());
    return result;
  } finally {
    input.dispose();
    executor.dispose();
  }
}

export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`Length ${actual.length} differs from the expected ${expected.length}.`);
  return Math.max(...Array.from(actual, (value, i) => Math.abs(value - expected[i])));
}

/** Lists each node's op, inputs and weights (shapes and values), for comparing two graphs. */
export function graphSummary(graph: ModelGraph): unknown[] {
  return graph.nodes.map((node) => ({
    name: node.name,
    op: node.op,
    inputs: node.inputs,
    weights: nodeWeights(node).map(([role, tensor]) => ({ role, shape: tensor.shape, values: Array.from(tensor.values) })),
  }));
}
