import type { PrunableLayer } from '../analysis/prunableLayers';
import type { Conv2DNode, DenseNode, GraphNode, ModelGraph, WeightTensor } from '../graph/types';
import type { DecodedImage } from '../data/preprocessing';

export { seededRandom } from './seededRandom';

export function randomTensor(shape: number[], random: () => number, scale = 1): WeightTensor {
  const size = shape.reduce((product, n) => product * n, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (random() * 2 - 1) * scale;
  return { shape, values };
}

export function conv(name: string, input: string, inChannels: number, filters: number, random: () => number, options: Partial<Conv2DNode> = {}): Conv2DNode {
  const kernelSize = options.kernelSize ?? [3, 3];
  return {
    op: 'Conv2D',
    name,
    inputs: [input],
    filters,
    kernelSize,
    strides: [1, 1],
    dilation: [1, 1],
    padding: 'same',
    activation: 'linear',
    kernel: randomTensor([kernelSize[0], kernelSize[1], inChannels, filters], random, 0.5),
    bias: randomTensor([filters], random, 0.1),
    ...options,
  };
}

export function dense(name: string, input: string, inUnits: number, units: number, random: () => number): DenseNode {
  return {
    op: 'Dense',
    name,
    inputs: [input],
    units,
    activation: 'linear',
    kernel: randomTensor([inUnits, units], random, 0.2),
    bias: randomTensor([units], random, 0.1),
  };
}

/** Makes output channel `target` of a conv equal to `scale` x channel `source` (a positive scale commutes with ReLU). */
export function makeScaledDuplicate(node: Conv2DNode, source: number, target: number, scale: number): void {
  const filters = node.filters;
  const kernel = node.kernel.values;
  for (let row = 0; row < kernel.length / filters; row++) kernel[row * filters + target] = scale * kernel[row * filters + source];
  if (node.bias) node.bias.values[target] = scale * node.bias.values[source];
}

/** Makes channel `target` dead after a ReLU: a tiny kernel and a large negative bias. */
export function makeDead(node: Conv2DNode, target: number): void {
  const filters = node.filters;
  const kernel = node.kernel.values;
  for (let row = 0; row < kernel.length / filters; row++) kernel[row * filters + target] *= 1e-3;
  if (node.bias) node.bias.values[target] = -100;
}

export function graphOf(name: string, inputShape: number[], nodes: GraphNode[]): ModelGraph {
  const input: GraphNode = { op: 'Input', name: 'input', inputs: [], shape: inputShape };
  return { name, nodes: [input, ...nodes], inputs: ['input'], outputs: [nodes[nodes.length - 1].name] };
}

/** Random RGBA images (alpha 255) for feeding synthetic models. */
export function randomImages(count: number, size: number, random: () => number): DecodedImage[] {
  return Array.from({ length: count }, (_, index) => {
    const rgba = new Uint8Array(size * size * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = i % 4 === 3 ? 255 : Math.floor(random() * 256);
    return { path: `random_${index}.png`, width: size, height: size, rgba };
  });
}

/** Builds the prunable layer of a plain chain: one writer, one reader. */
export function chainLayer(reader: Omit<PrunableLayer, 'writers' | 'readers' | 'channelMaps' | 'channelMap'>): PrunableLayer {
  const { tap, consumer, consumerKind, kernelPositions, producer, channels, path } = reader;
  const channelMap = Array.from({ length: channels }, (_, i) => i);
  const channelMaps = Object.fromEntries([producer, ...path].map((name) => [name, channelMap]));
  const first = { tap, consumer, consumerKind, kernelPositions, channelMap };
  return { ...reader, ...first, writers: [producer], readers: [first], channelMaps };
}
