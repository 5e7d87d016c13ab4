import { inferShapes, type ShapeMap } from '../../graph/shapes';
import type { GraphNode, ModelGraph } from '../../graph/types';
import type { KerasLayerConfig, KerasModelConfig } from '../tfjs/modelJson';
import { isNestedModel } from './layerVariables';

function withBatch(previous: unknown, shape: number[]): unknown[] {
  const batch = Array.isArray(previous) && previous.length === shape.length + 1 ? previous[0] : null;
  return [batch, ...shape];
}

/** Rewrites the `shape` of every `__keras_tensor__` reference (Keras 3 inbound nodes) to the producer's pruned shape. */
function updateTensorShapes(value: unknown, shapes: ShapeMap): void {
  if (Array.isArray(value)) {
    value.forEach((item) => updateTensorShapes(item, shapes));
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (record.class_name === '__keras_tensor__') {
    const config = record.config as Record<string, unknown>;
    const history = config.keras_history as unknown[] | undefined;
    const shape = typeof history?.[0] === 'string' ? shapes.get(history[0]) : undefined;
    if (shape && Array.isArray(config.shape)) config.shape = withBatch(config.shape, shape);
    return;
  }
  Object.values(record).forEach((item) => updateTensorShapes(item, shapes));
}

/** Keras 3 records the input shape each layer was built with; a stale one would build kernels of the unpruned size. */
function updateBuildConfig(layer: KerasLayerConfig, node: GraphNode, shapes: ShapeMap): void {
  const buildConfig = layer.build_config as { input_shape?: unknown } | undefined;
  if (!buildConfig || !Array.isArray(buildConfig.input_shape) || node.inputs.length === 0) return;
  const inputShapes = node.inputs.map((input) => shapes.get(input)).filter((shape): shape is number[] => shape !== undefined);
  if (inputShapes.length !== node.inputs.length) return;
  const previous = buildConfig.input_shape;
  buildConfig.input_shape =
    inputShapes.length === 1 && !Array.isArray(previous[0])
      ? withBatch(previous, inputShapes[0])
      : inputShapes.map((shape, i) => withBatch(previous[i], shape));
}

/** Returns the graph names of the tensors a nested model reads: its input layers' Identity nodes, or what its first layer reads. */
function nestedModelInputs(layer: KerasLayerConfig, nodes: Map<string, GraphNode>): string[] {
  const layers = layer.config.layers as KerasLayerConfig[];
  const inputLayers = layers.filter((inner) => inner.class_name === 'InputLayer').map((inner) => String(inner.config.name ?? inner.name));
  if (inputLayers.length > 0) return inputLayers;
  const first = layers[0] && nodes.get(String(layers[0].config.name ?? layers[0].name));
  return first ? first.inputs : [];
}

function updateNestedModelShapes(layer: KerasLayerConfig, nodes: Map<string, GraphNode>, shapes: ShapeMap): void {
  const inputShapes = nestedModelInputs(layer, nodes).map((name) => shapes.get(name));
  if (inputShapes.length !== 1 || !inputShapes[0]) return;
  const buildConfig = layer.build_config as { input_shape?: unknown } | undefined;
  if (buildConfig && Array.isArray(buildConfig.input_shape)) buildConfig.input_shape = withBatch(buildConfig.input_shape, inputShapes[0]);
  if (Array.isArray(layer.config.build_input_shape)) layer.config.build_input_shape = withBatch(layer.config.build_input_shape, inputShapes[0]);
}

/** Sets the shape of an InputLayer inside a nested model, which reads an outer tensor whose channels may have been pruned. */
function updateNestedInputLayer(layer: KerasLayerConfig, shapes: ShapeMap): void {
  const shape = shapes.get(String(layer.config.name ?? layer.name));
  if (!shape) return;
  for (const key of ['batch_shape', 'batch_input_shape']) {
    if (Array.isArray(layer.config[key])) layer.config[key] = withBatch(layer.config[key], shape);
  }
}

/**
 * Writes the pruned graph's channel counts into Keras layer configs (a copy
 * of the user's document): filters and units of pruned layers, Reshape
 * targets, and the shapes Keras 3 records in `build_config` and in inbound
 * tensor references. Nested models are updated too, with their input shapes.
 */
export function applyGraphToKerasConfig(modelConfig: KerasModelConfig, graph: ModelGraph): void {
  const nodes = new Map(graph.nodes.map((node) => [node.name, node]));
  const shapes = inferShapes(graph);
  const visit = (layers: KerasLayerConfig[], nested: boolean): void => {
    for (const layer of layers) {
      const node = nodes.get(String(layer.config.name ?? layer.name));
      updateTensorShapes(layer.inbound_nodes, shapes);
      if (isNestedModel(layer)) {
        updateNestedModelShapes(layer, nodes, shapes);
        visit(layer.config.layers as KerasLayerConfig[], true);
        continue;
      }
      if (nested && layer.class_name === 'InputLayer') updateNestedInputLayer(layer, shapes);
      if (node?.op === 'Conv2D' || node?.op === 'SeparableConv2D') layer.config.filters = node.filters;
      if (node?.op === 'Dense') layer.config.units = node.units;
      if (node?.op === 'Reshape') layer.config.target_shape = node.targetShape;
      if (node) updateBuildConfig(layer, node, shapes);
    }
  };
  const config = modelConfig.config;
  visit(Array.isArray(config) ? config : ((config.layers ?? []) as KerasLayerConfig[]), false);
}
