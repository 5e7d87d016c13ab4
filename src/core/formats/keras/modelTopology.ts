import type { GraphNode, ModelGraph } from '../../graph/types';
import type { KerasLayerConfig, KerasModelConfig } from '../tfjs/modelJson';
import { kerasLayerToNode, type WeightLookup } from './layerConfig';

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
  const nodes: GraphNode[] = [];
  let previous: string;
  const first = layers[0];
  const firstShape = inputShapeOf(first);
  if (!firstShape) {
    throw new Error(`Sequential model '${name}' does not state its input shape (no batch_input_shape on its first layer).`);
  }
  if (first.class_name === 'InputLayer') {
    nodes.push(inputNode(String(first.config.name), firstShape));
  } else {
    nodes.push(inputNode(`${String(first.config.name)}_input`, firstShape));
  }
  previous = nodes[0].name;
  for (const layer of layers) {
    if (layer.class_name === 'InputLayer') continue;
    const node = kerasLayerToNode(layer, [previous], weights);
    nodes.push(node);
    previous = node.name;
  }
  return { name, nodes, inputs: [nodes[0].name], outputs: [previous] };
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
    const layerName = String(layer.name ?? layer.config.name);
    // Copied, not edited: the exporter writes the user's document back later.
    const named: KerasLayerConfig = { ...layer, config: { ...layer.config, name: layerName } };
    if (named.class_name === 'InputLayer') {
      const shape = inputShapeOf(named);
      if (!shape) throw new Error(`Input layer '${layerName}' has no batch_input_shape or batch_shape.`);
      nodes.push(inputNode(layerName, shape));
    } else {
      nodes.push(kerasLayerToNode(named, layerInputs(named), weights));
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
  const byName = new Map(nodes.map((node) => [node.name, node]));
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
