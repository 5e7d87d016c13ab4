import { inferShapes } from '../graph/shapes';
import type { ModelGraph } from '../graph/types';

/**
 * Counts FLOPs for one input image, defined as 2 x the multiply-accumulates of
 * convolution (plain, depthwise, separable) and Dense layers.
 * NOTE: layers run through TensorFlow.js Layers (KerasLayer nodes, e.g. Conv2DTranspose) are not counted. Bias adds, activations, pooling and BatchNorm are
 * left out: they are small next to the products and the definition matches the
 * common convention of pruning papers.
 */
export function countFlops(graph: ModelGraph): number {
  const shapes = inferShapes(graph);
  let multiplyAccumulates = 0;
  for (const node of graph.nodes) {
    const output = shapes.get(node.name)!;
    if (node.op === 'Conv2D') {
      const [kh, kw, inChannels] = node.kernel.shape;
      multiplyAccumulates += output[0] * output[1] * node.filters * kh * kw * inChannels;
    } else if (node.op === 'DepthwiseConv2D' || node.op === 'SeparableConv2D') {
      const [kh, kw, inChannels, multiplier] = (node.op === 'DepthwiseConv2D' ? node.kernel : node.depthwiseKernel).shape;
      multiplyAccumulates += output[0] * output[1] * inChannels * multiplier * kh * kw;
      if (node.op === 'SeparableConv2D') multiplyAccumulates += output[0] * output[1] * inChannels * multiplier * node.filters;
    } else if (node.op === 'Dense') {
      const positions = output.slice(0, -1).reduce((product, size) => product * size, 1);
      multiplyAccumulates += positions * node.kernel.shape[0] * node.units;
    }
  }
  return 2 * multiplyAccumulates;
}
