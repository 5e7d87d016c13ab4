import { nodeWeights } from '../../graph/graphQueries';
import type { ModelGraph, WeightTensor } from '../../graph/types';
import type { OutputFile } from '../inputFile';
import { kerasModelConfig, type KerasLayerConfig, type TfjsModelJson, type WeightsManifestEntry } from './modelJson';

const EXPORTED_SHARD_NAME = 'group1-shard1of1.bin';

function graphWeightsBySourceName(graph: ModelGraph): Map<string, WeightTensor> {
  const tensors = new Map<string, WeightTensor>();
  for (const node of graph.nodes) {
    for (const [role, tensor] of nodeWeights(node)) {
      tensors.set(tensor.sourceName ?? `${node.name}/${role}`, tensor);
    }
  }
  return tensors;
}

function layerConfigs(modelJson: TfjsModelJson): KerasLayerConfig[] {
  const config = kerasModelConfig(modelJson).config;
  return Array.isArray(config) ? config : ((config.layers ?? []) as KerasLayerConfig[]);
}

/** Writes the changed channel counts into the copied Keras layer configs. */
function updateLayerConfigs(modelJson: TfjsModelJson, graph: ModelGraph): void {
  const nodes = new Map(graph.nodes.map((node) => [node.name, node]));
  for (const layer of layerConfigs(modelJson)) {
    const node = nodes.get(String(layer.config.name ?? layer.name));
    if (node?.op === 'Conv2D') layer.config.filters = node.filters;
    if (node?.op === 'Dense') layer.config.units = node.units;
    if (node?.op === 'Reshape') layer.config.target_shape = node.targetShape;
  }
}

/**
 * Writes a LayersModel as model.json plus one float32 shard. `modelJson` is a
 * copy of the document to edit, whose layer configs get the graph's channel
 * counts. `originalEntries` gives the weights' names and order, and each entry
 * is matched to the graph tensor imported from it.
 */
export function writeLayersModel(
  modelJson: TfjsModelJson,
  originalEntries: WeightsManifestEntry[],
  graph: ModelGraph,
  modelFileName: string,
): OutputFile[] {
  updateLayerConfigs(modelJson, graph);

  const tensors = graphWeightsBySourceName(graph);
  const entries: WeightsManifestEntry[] = [];
  const chunks: Float32Array[] = [];
  for (const entry of originalEntries) {
    const tensor = tensors.get(entry.name);
    if (!tensor) throw new Error(`Weight '${entry.name}' of the original model has no counterpart in the pruned graph.`);
    const { quantization: _dropped, ...rest } = entry;
    entries.push({ ...rest, name: entry.name.replace(/:\d+$/, ''), shape: [...tensor.shape], dtype: 'float32' });
    chunks.push(tensor.values);
  }
  modelJson.weightsManifest = [{ paths: [EXPORTED_SHARD_NAME], weights: entries }];

  const totalLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const shard = new Float32Array(totalLength);
  let offset = 0;
  for (const chunk of chunks) {
    shard.set(chunk, offset);
    offset += chunk.length;
  }
  // Shards are little-endian float32; every platform the workbench runs on is little-endian.
  return [
    { name: modelFileName, bytes: new TextEncoder().encode(JSON.stringify(modelJson)), mimeType: 'application/json' },
    { name: EXPORTED_SHARD_NAME, bytes: new Uint8Array(shard.buffer), mimeType: 'application/octet-stream' },
  ];
}

