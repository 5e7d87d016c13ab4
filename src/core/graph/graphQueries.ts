import type { GraphNode, InputNode, ModelGraph, WeightTensor } from './types';

/** Returns the node with that name, or throws naming it. */
export function getNode(graph: ModelGraph, name: string): GraphNode {
  const node = graph.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`Node '${name}' is not in model '${graph.name}'.`);
  return node;
}

/** Maps each node name to the names of the nodes that read its output. */
export function consumersByNode(graph: ModelGraph): Map<string, string[]> {
  const consumers = new Map<string, string[]>(graph.nodes.map((node) => [node.name, []]));
  for (const node of graph.nodes) {
    for (const input of node.inputs) consumers.get(input)?.push(node.name);
  }
  return consumers;
}

export function inputNode(graph: ModelGraph): InputNode {
  if (graph.inputs.length !== 1) {
    throw new Error(`Model '${graph.name}' has ${graph.inputs.length} inputs; only single-input models are supported.`);
  }
  const node = getNode(graph, graph.inputs[0]);
  if (node.op !== 'Input') throw new Error(`Input '${node.name}' is a ${node.op} node, expected Input.`);
  return node;
}

/** Lists every weight tensor of a node, with its role name (kernel, bias, gamma, ...). */
export function nodeWeights(node: GraphNode): [string, WeightTensor][] {
  const weights: [string, WeightTensor | null][] = [];
  switch (node.op) {
    case 'Conv2D':
    case 'Dense':
      weights.push(['kernel', node.kernel], ['bias', node.bias]);
      break;
    case 'DepthwiseConv2D':
      weights.push(['kernel', node.kernel], ['bias', node.bias]);
      break;
    case 'SeparableConv2D':
      weights.push(['depthwiseKernel', node.depthwiseKernel], ['pointwiseKernel', node.pointwiseKernel], ['bias', node.bias]);
      break;
    case 'PReLU':
      weights.push(['alpha', node.alpha]);
      break;
    case 'KerasLayer':
      node.weights.forEach((tensor, i) => weights.push([`weight${i}`, tensor]));
      break;
    case 'BatchNorm':
      weights.push(
        ['gamma', node.gamma],
        ['beta', node.beta],
        ['movingMean', node.movingMean],
        ['movingVariance', node.movingVariance],
      );
      break;
    default:
      break;
  }
  return weights.filter((entry): entry is [string, WeightTensor] => entry[1] !== null);
}

export function countParameters(graph: ModelGraph): number {
  let total = 0;
  for (const node of graph.nodes) {
    for (const [, tensor] of nodeWeights(node)) total += tensor.values.length;
  }
  return total;
}
