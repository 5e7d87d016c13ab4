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
  if (!buildConfig || !Array.isArray(buildConfig.input_shape)) return;
  const inputShapes = node.inputs.map((input) => shapes.get(input)).filter((shape): shape is number[] => shape !== undefined);
  if (inputShapes.length !== node.inputs.length) return;
  const previous = buildConfig.input_shape;
  buildConfig.input_shape =
    inputShapes.length === 1 && !Array.isArray(previous[0])
      ? withBatch(previous, inputShapes[0])
      : inputShapes.map((shape, i) => withBatch(previous[i], shape));
}

/**
 * Writes the pruned graph's channel counts into Keras layer configs (a copy
 * of the user's document): filters and units of pruned layers, Reshape
 * targets, and the shapes Keras 3 records in `build_config` and in inbound
 * tensor references. Nested models are updated too.
 */
export function applyGraphToKerasConfig(modelConfig: KerasModelConfig, graph: ModelGraph): void {
  const nodes = new Map(graph.nodes.map((node) => [node.name, node]));
  const shapes = inferShapes(graph);
  const visit = (layers: KerasLayerConfig[]): void => {
    for (const layer of layers) {
      const node = nodes.get(String(layer.config.name ?? layer.name));
      if (node?.op === 'Conv2D' || node?.op === 'SeparableConv2D') layer.config.filters = node.filters;
      if (node?.op === 'Dense') layer.config.units = node.units;
      if (node?.op === 'Reshape') layer.config.target_shape = node.targetShape;
      if (node) updateBuildConfig(layer, node, shapes);
      updateTensorShapes(layer.inbound_nodes, shapes);
      if (isNestedModel(layer)) visit(layer.config.layers as KerasLayerConfig[]);
    }
  };
  const config = modelConfig.config;
  visit(Array.isArray(config) ? config : ((config.layers ?? []) as KerasLayerConfig[]));
}
