import type { PrunableLayer } from '../../core/analysis/prunableLayers';
import { getNode } from '../../core/graph/graphQueries';
import { inferShapes } from '../../core/graph/shapes';
import type { ModelGraph } from '../../core/graph/types';
import { consumerKernel, type ConsumerKernel } from '../../core/teaching/kernelSlices';

export interface ConsumerView {
  kernel: ConsumerKernel;
  /** Rows and columns of one kernel slice as a picture. */
  rows: number;
  cols: number;
  op: 'Conv2D' | 'Dense';
}

/** Formats the weights with which `output` reads `channel` in index notation, e.g. W[:, :, 6, 8]. */
export function sliceNotation(view: ConsumerView, channel: number, output: number, prime = ''): string {
  if (view.op === 'Conv2D') return `W${prime}[:, :, ${channel}, ${output}]`;
  if (view.rows * view.cols > 1) return `W${prime}[(y, x, ${channel}), ${output}]`;
  return `W${prime}[${channel}, ${output}]`;
}

/**
 * Finds the consumer's kernel and the picture shape of one input channel's
 * weights: kh x kw for a Conv2D, the tapped map's H x W for Flatten -> Dense,
 * and a single weight for a Dense on pooled channels.
 */
export function consumerView(graph: ModelGraph, layer: PrunableLayer): ConsumerView {
  const node = getNode(graph, layer.consumer);
  if (node.op !== 'Conv2D' && node.op !== 'Dense') throw new Error(`Consumer '${node.name}' is ${node.op}, expected Conv2D or Dense.`);
  const kernel = consumerKernel(node.kernel, layer);
  if (node.op === 'Conv2D') return { kernel, rows: node.kernelSize[0], cols: node.kernelSize[1], op: node.op };
  if (layer.consumerKind === 'flattenDense') {
    const [height, width] = inferShapes(graph).get(layer.tap)!;
    return { kernel, rows: height, cols: width, op: node.op };
  }
  return { kernel, rows: 1, cols: 1, op: node.op };
}
