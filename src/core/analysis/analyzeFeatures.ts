import * as tf from '@tensorflow/tfjs';
import { imagesToBatch, type DecodedImage, type PixelScaling } from '../data/preprocessing';
import { GraphExecutor } from '../executor/graphExecutor';
import { inputNode } from '../graph/graphQueries';
import type { ModelGraph } from '../graph/types';
import type { PivotedQr } from '../linalg/pivotedQr';
import type { PrunableLayer } from './prunableLayers';
import type { RAccumulator } from './rAccumulator';

export interface BatchProgress {
  imagesDone: number;
  imagesTotal: number;
}

export interface BatchRunOptions {
  scaling: PixelScaling;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
}

export interface FeatureAnalysis {
  layers: PrunableLayer[];
  /** Pivoted QR of each layer's feature matrix (through its R factor), in `layers` order. */
  qrs: PivotedQr[];
  /** Rows (image x pixel positions) each layer's matrix had. */
  rows: number[];
  /** The original model's first output for every image, row-major images x outputSize. */
  outputs: Float32Array;
  outputSize: number;
}

/** Nodes whose outputs a layer's dependencies are measured on: each reader's input, once. */
export function layerTaps(layer: PrunableLayer): string[] {
  return [...new Set(layer.readers.map((reader) => reader.tap))];
}

/**
 * Lists the tapped tensor's columns in group-channel order. A channel that the
 * tensor carries twice is taken from its first copy. Returns null when the
 * tensor already is in that order.
 */
function groupColumns(layer: PrunableLayer, tap: string): number[] | null {
  const map = layer.readers.find((reader) => reader.tap === tap)!.channelMap;
  if (map.length === layer.channels && map.every((channel, i) => channel === i)) return null;
  return Array.from({ length: layer.channels }, (_, channel) => map.indexOf(channel));
}

function selectColumns(data: Float32Array, width: number, columns: number[]): Float32Array {
  const rows = data.length / width;
  const selected = new Float32Array(rows * columns.length);
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < columns.length; j++) selected[row * columns.length + j] = data[row * width + columns[j]];
  }
  return selected;
}

/** Yields the images in batches as NHWC tensors the caller must dispose. */
export function* imageBatches(images: DecodedImage[], inputShape: number[], options: BatchRunOptions): Generator<tf.Tensor4D> {
  for (let start = 0; start < images.length; start += options.batchSize) {
    options.signal?.throwIfAborted();
    yield imagesToBatch(images.slice(start, start + options.batchSize), inputShape, options.scaling);
  }
}

/**
 * Runs the model over the images batch by batch, streams every prunable
 * layer's tapped features into the accumulator, and keeps the model outputs
 * for the before/after comparison.
 */
export async function analyzeFeatures(
  graph: ModelGraph,
  layers: PrunableLayer[],
  images: DecodedImage[],
  accumulator: RAccumulator,
  options: BatchRunOptions,
): Promise<FeatureAnalysis> {
  if (images.length === 0) throw new Error('No images were provided; the analysis needs sample images to compute feature maps.');
  const executor = new GraphExecutor(graph);
  const rows = layers.map(() => 0);
  const outputChunks: Float32Array[] = [];
  let outputSize = 0;
  let imagesDone = 0;
  try {
    for (const batch of imageBatches(images, inputNode(graph).shape, options)) {
      const batchSize = batch.shape[0];
      const result = executor.run(batch, [...new Set(layers.flatMap(layerTaps))]);
      batch.dispose();
      try {
        for (let i = 0; i < layers.length; i++) {
          // A group read at several places must be dependent at each, so their rows are stacked.
          for (const tapName of layerTaps(layers[i])) {
            const tensor = result.taps.get(tapName)!;
            const raw = (await tensor.data()) as Float32Array;
            const columns = groupColumns(layers[i], tapName);
            const data = columns ? selectColumns(raw, tensor.shape[tensor.rank - 1]!, columns) : raw;
            const layerRows = data.length / layers[i].channels;
            rows[i] += layerRows;
            await accumulator.addRows(i, data, layerRows);
          }
        }
        const output = result.outputs[0];
        outputSize = output.size / batchSize;
        outputChunks.push((await output.data()) as Float32Array);
      } finally {
        result.outputs.forEach((tensor) => tensor.dispose());
        result.taps.forEach((tensor) => tensor.dispose());
      }
      imagesDone += batchSize;
      options.onProgress?.({ imagesDone, imagesTotal: images.length });
    }
  } finally {
    executor.dispose();
  }
  const qrs = await accumulator.finish();
  return { layers, qrs, rows, outputs: concatenate(outputChunks), outputSize };
}

export function concatenate(chunks: Float32Array[]): Float32Array {
  const joined = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}
