import type { ModelGraph } from '../../graph/types';
import { graphTensorsBySourceName } from '../keras/graphTensors';
import { applyGraphToKerasConfig } from '../keras/prunedLayerConfig';
import type { OutputFile } from '../inputFile';
import { kerasModelConfig, type TfjsModelJson, type WeightsManifestEntry } from './modelJson';

const EXPORTED_SHARD_NAME = 'group1-shard1of1.bin';

/**
 * Writes a LayersModel as model.json plus one float32 shard. `modelJson` is a
 * copy of the document to edit, whose layer configs get the graph's channel
 * counts. `originalEntries` gives the weights' names and order, and each entry
 * is matched to the graph tensor imported from it: the tensor whose
 * `sourceName` is `sourceNameOf(entry)`, by default the entry's own name.
 */
export function writeLayersModel(
  modelJson: TfjsModelJson,
  originalEntries: WeightsManifestEntry[],
  graph: ModelGraph,
  modelFileName: string,
  sourceNameOf: (entry: WeightsManifestEntry) => string = (entry) => entry.name,
): OutputFile[] {
  applyGraphToKerasConfig(kerasModelConfig(modelJson), graph);
  const tensors = graphTensorsBySourceName(graph);
  const entries: WeightsManifestEntry[] = [];
  const chunks: Float32Array[] = [];
  for (const entry of originalEntries) {
    const tensor = tensors.get(sourceNameOf(entry));
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

