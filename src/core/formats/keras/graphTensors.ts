import { nodeWeights } from '../../graph/graphQueries';
import type { ModelGraph, WeightTensor } from '../../graph/types';

/** Maps every weight of the graph by its name in the imported file (or `node/role` for tensors without one). */
export function graphTensorsBySourceName(graph: ModelGraph): Map<string, WeightTensor> {
  const tensors = new Map<string, WeightTensor>();
  for (const node of graph.nodes) {
    for (const [role, tensor] of nodeWeights(node)) tensors.set(tensor.sourceName ?? `${node.name}/${role}`, tensor);
  }
  return tensors;
}
