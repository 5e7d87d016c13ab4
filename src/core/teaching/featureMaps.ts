import { imagesToBatch, type DecodedImage, type PixelScaling } from '../data/preprocessing';
import { GraphExecutor } from '../executor/graphExecutor';
import { inputNode } from '../graph/graphQueries';
import type { ModelGraph } from '../graph/types';

/** One image's feature maps at one node, channels-last: values[(y * width + x) * channels + c]. */
export interface FeatureMaps {
  height: number;
  width: number;
  channels: number;
  values: Float32Array;
}

/**
 * Runs the model on one image (a batch of 1) and returns the output of node
 * `tap`. A rank-2 output (after global pooling) becomes 1 x 1 maps. Every
 * tensor made here is freed before returning.
 */
export async function computeFeatureMaps(graph: ModelGraph, image: DecodedImage, tap: string, scaling: PixelScaling): Promise<FeatureMaps> {
  const executor = new GraphExecutor(graph);
  try {
    const batch = imagesToBatch([image], inputNode(graph).shape, scaling);
    const result = executor.run(batch, [tap]);
    batch.dispose();
    result.outputs.forEach((tensor) => tensor.dispose());
    const tapped = result.taps.get(tap)!;
    try {
      const shape = tapped.shape;
      const values = (await tapped.data()) as Float32Array;
      const channels = shape[shape.length - 1];
      return { height: shape.length === 4 ? shape[1] : 1, width: shape.length === 4 ? shape[2] : 1, channels, values };
    } finally {
      tapped.dispose();
    }
  } finally {
    executor.dispose();
  }
}

/** Copies channel `channel` out of the maps as a row-major height x width array. */
export function channelMap(maps: FeatureMaps, channel: number): Float32Array {
  if (!Number.isInteger(channel) || channel < 0 || channel >= maps.channels) {
    throw new RangeError(`Channel ${channel} is out of range for maps with ${maps.channels} channels.`);
  }
  const pixels = maps.height * maps.width;
  const map = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) map[p] = maps.values[p * maps.channels + channel];
  return map;
}
