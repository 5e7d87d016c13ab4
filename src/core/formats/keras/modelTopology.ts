import type { GraphNode, ModelGraph } from '../../graph/types';
import type { KerasLayerConfig, KerasModelConfig } from '../tfjs/modelJson';
import { kerasLayerToNode, type WeightLookup } from './layerConfig';
import { isNestedModel } from './layerVariables';

function inputShapeOf(layer: KerasLayerConfig): number[] | null {
  // Keras 2 writes `batch_input_shape`, Keras 3 `batch_shape`; both start with the batch size.
  const batchShape = (layer.config.batch_input_shape ?? layer.config.batch_shape) as unknown;
  if (!Array.isArray(batchShape)) return null;
  const shape = batchShape.slice(1);
  if (shape.some((size) => typeof size !== 'number')) {
    throw new Error(
      `Input of layer '${String(layer.config.name)}' has shape ${JSON.stringify(batchShape)}; ` +
        'every dimension but the batch must be fixed.',
    );
  }
  return shape as number[];
}

function inputNode(name: string, shape: number[]): GraphNode {
  return { op: 'Input', name, inputs: [], shape };
}

function sequentialToGraph(name: string, layers: KerasLayerConfig[], weights: WeightLookup): ModelGraph {
  if (layers.length === 0) throw new Error(`Sequential model '${name}' has no layers.`);
  const first = layers[0];
  const firstShape = inputShapeOf(first);
  if (!firstShape) {
    throw new Error(`Sequential model '${name}' does not state its input shape (no batch_input_shape on its first layer).`);
  }
  const input = inputNode(first.class_name === 'InputLayer' ? layerName(first) : `${layerName(first)}_input`, firstShape);
  const nodes = [input, ...chainNodes(layers, input.name, weights)];
  return { name, nodes: sortTopologically(nodes), inputs: [input.name], outputs: [nodes[nodes.length - 1].name] };
}

function layerName(layer: KerasLayerConfig): string {
  return String(layer.config.name ?? layer.name);
}

/** Builds the nodes of a Sequential layer list applied to `input`. An InputLayer inside becomes an Identity. */
function chainNodes(layers: KerasLayerConfig[], input: string, weights: WeightLookup): GraphNode[] {
  const nodes: GraphNode[] = [];
  let previous = input;
  for (const layer of layers) {
    if (layer.class_name === 'InputLayer') {
      if (previous === layerName(layer)) continue;
      nodes.push({ op: 'Identity', name: layerName(layer), inputs: [previous] });
    } else {
      nodes.push(...layerNodes(layer, [previous], weights));
    }
    previous = nodes[nodes.length - 1].name;
  }
  return nodes;
}

/**
 * Builds the nodes of one layer, inlining a nested Sequential or Functional
 * model. The nested layers become nodes under their own names, because Keras
 * keeps layer names unique across nested models. Its input layers become
 * Identity nodes, and an Identity named after the model carries its output to
 * the outer layers.
 */
function layerNodes(layer: KerasLayerConfig, inputs: string[], weights: WeightLookup): GraphNode[] {
  if (!isNestedModel(layer)) return [kerasLayerToNode(layer, inputs, weights)];
  const name = layerName(layer);
  const layers = layer.config.layers as KerasLayerConfig[];
  if (layer.class_name === 'Sequential') {
    if (inputs.length !== 1) throw new Error(`Nested Sequential model '${name}' is called on ${inputs.length} tensors; it takes one.`);
    const nodes = chainNodes(layers, inputs[0], weights);
    return [...nodes, { op: 'Identity', name, inputs: [nodes[nodes.length - 1].name] }];
  }
  const inputNames = endpointNames(layer.config.input_layers);
  const outputNames = endpointNames(layer.config.output_layers);
  if (inputNames.length !== inputs.length || outputNames.length !== 1) {
    throw new Error(
      `Nested model '${name}' has ${inputNames.length} inputs and ${outputNames.length} outputs and is called on ${inputs.length} tensors; ` +
        'only nested models with one output, called on all their inputs, are supported.',
    );
  }
  const nodes = layers.flatMap((inner): GraphNode[] => {
    const named: KerasLayerConfig = { ...inner, config: { ...inner.config, name: layerName(inner) } };
    if (inner.class_name !== 'InputLayer') return layerNodes(named, layerInputs(named), weights);
    const position = inputNames.indexOf(layerName(inner));
    if (position < 0) throw new Error(`Input layer '${layerName(inner)}' of nested model '${name}' is not among its input_layers.`);
    return [{ op: 'Identity', name: layerName(inner), inputs: [inputs[position]] }];
  });
  return [...nodes, { op: 'Identity', name, inputs: [outputNames[0]] }];
}

/** Collects `[layerName, nodeIndex, tensorIndex]` references from Keras 2 or Keras 3 inbound nodes. */
function inboundReferences(value: unknown, found: [string, number, number][]): void {
  if (Array.isArray(value)) {
    if (value.length >= 3 && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number') {
      found.push([value[0], value[1], value[2]]);
      return;
    }
    for (const item of value) inboundReferences(item, found);
    return;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.class_name === '__keras_tensor__') {
      inboundReferences((record.config as Record<string, unknown>).keras_history, found);
      return;
    }
    // Keras 3 nodes are {args, kwargs}; only args carry the input tensors.
    if ('args' in record) inboundReferences(record.args, found);
  }
}

function layerInputs(layer: KerasLayerConfig): string[] {
  const inbound = layer.inbound_nodes ?? [];
  if (inbound.length > 1) {
    throw new Error(`Layer '${String(layer.config.name)}' is called ${inbound.length} times (a shared layer); shared layers are not supported yet.`);
  }
  const references: [string, number, number][] = [];
  inboundReferences(inbound[0] ?? [], references);
  for (const [source, nodeIndex, tensorIndex] of references) {
    if (nodeIndex !== 0 || tensorIndex !== 0) {
      throw new Error(`Layer '${String(layer.config.name)}' reads output ${tensorIndex} of call ${nodeIndex} of '${source}'; only single-output, single-call layers are supported yet.`);
    }
  }
  return references.map(([source]) => source);
}

function endpointNames(value: unknown): string[] {
  const references: [string, number, number][] = [];
  inboundReferences(value, references);
  return references.map(([source]) => source);
}

function functionalToGraph(name: string, config: Record<string, unknown>, weights: WeightLookup): ModelGraph {
  const layers = (config.layers ?? []) as KerasLayerConfig[];
  const nodes: GraphNode[] = [];
  for (const layer of layers) {
    // Copied, not edited: the exporter writes the user's document back later.
    const named: KerasLayerConfig = { ...layer, config: { ...layer.config, name: layerName(layer) } };
    if (named.class_name === 'InputLayer') {
      const shape = inputShapeOf(named);
      if (!shape) throw new Error(`Input layer '${layerName(layer)}' has no batch_input_shape or batch_shape.`);
      nodes.push(inputNode(layerName(layer), shape));
    } else {
      nodes.push(...layerNodes(named, layerInputs(named), weights));
    }
  }
  return {
    name,
    nodes: sortTopologically(nodes),
    inputs: endpointNames(config.input_layers),
    outputs: endpointNames(config.output_layers),
  };
}

/** Orders nodes so each comes after its inputs; Keras configs usually are, but need not be. */
function sortTopologically(nodes: GraphNode[]): GraphNode[] {
  const byName = new Map<string, GraphNode>();
  for (const node of nodes) {
    if (byName.has(node.name)) throw new Error(`Two layers are named '${node.name}' (in nested models?); layer names must be unique.`);
    byName.set(node.name, node);
  }
  const placed = new Set<string>();
  const ordered: GraphNode[] = [];
  const visiting = new Set<string>();
  const visit = (node: GraphNode): void => {
    if (placed.has(node.name)) return;
    if (visiting.has(node.name)) throw new Error(`Layer '${node.name}' is part of a cycle.`);
    visiting.add(node.name);
    for (const input of node.inputs) {
      const source = byName.get(input);
      if (!source) throw new Error(`Layer '${node.name}' reads '${input}', which is not a layer of the model.`);
      visit(source);
    }
    visiting.delete(node.name);
    placed.add(node.name);
    ordered.push(node);
  };
  nodes.forEach(visit);
  return ordered;
}

/** Builds the graph of a Keras Sequential or functional model config. */
export function kerasTopologyToGraph(modelConfig: KerasModelConfig, weights: WeightLookup): ModelGraph {
  const config = modelConfig.config;
  if (Array.isArray(config)) return sequentialToGraph('sequential', config, weights);
  const name = String(config.name ?? 'model');
  switch (modelConfig.class_name) {
    case 'Sequential':
      return sequentialToGraph(name, (config.layers ?? []) as KerasLayerConfig[], weights);
    case 'Model':
    case 'Functional':
      return functionalToGraph(name, config, weights);
    default:
      throw new Error(`Model class '${modelConfig.class_name}' is not supported; expected Sequential, Model or Functional.`);
  }
}
