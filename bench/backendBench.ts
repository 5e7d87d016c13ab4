import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFeatures, type BatchRunOptions } from '../src/core/analysis/analyzeFeatures';
import { findPrunableLayers } from '../src/core/analysis/prunableLayers';
import type { RAccumulator } from '../src/core/analysis/rAccumulator';
import type { DecodedImage } from '../src/core/data/preprocessing';
import { tfjsLayersFormat } from '../src/core/formats/tfjs/tfjsLayersFormat';
import type { ModelGraph } from '../src/core/graph/types';
import { decodeImage } from '../src/node/decodeImage';
import { readInputFiles, REALMODELS_DIR } from '../src/node/files';
import { bestTime, type BenchRow } from './benchTable';

const TINY_VGG_DIR = join(REALMODELS_DIR, 'cnn-explainer-tinyvgg');
const BATCH_SIZE = 16;

/** Drops the feature rows, so the timing covers the forward pass and the read-back of the tapped tensors only. */
class DiscardingAccumulator implements RAccumulator {
  rowsSeen = 0;

  async addRows(_layerIndex: number, _data: Float32Array, rows: number): Promise<void> {
    this.rowsSeen += rows;
  }

  async finish(): Promise<[]> {
    return [];
  }
}

function loadTinyVgg(): { graph: ModelGraph; images: DecodedImage[] } {
  const model = tfjsLayersFormat.import(readInputFiles([join(TINY_VGG_DIR, 'model.json'), join(TINY_VGG_DIR, 'group1-shard1of1.bin')]));
  const images = readInputFiles([join(TINY_VGG_DIR, 'img')]).map((file) => decodeImage(file.path, file.bytes));
  return { graph: model.graph, images };
}

/** Extracts every prunable layer's features over the images; returns the rows read back, to check both backends did the same work. */
async function extractFeatures(graph: ModelGraph, images: DecodedImage[]): Promise<number> {
  const options: BatchRunOptions = { scaling: { kind: 'unit' }, batchSize: BATCH_SIZE };
  const accumulator = new DiscardingAccumulator();
  await analyzeFeatures(graph, findPrunableLayers(graph).prunable, images, accumulator, options);
  return accumulator.rowsSeen;
}

async function imagesPerSecond(backend: 'cpu' | 'wasm', graph: ModelGraph, images: DecodedImage[], repeats: number): Promise<{ rate: number; rows: number }> {
  await tf.setBackend(backend);
  await tf.ready();
  let rows = 0;
  await extractFeatures(graph, images.slice(0, BATCH_SIZE));
  const seconds = await bestTime(repeats, async () => (rows = await extractFeatures(graph, images)));
  return { rate: images.length / seconds, rows };
}

/** Compares Tiny VGG feature extraction on the TF.js wasm and cpu backends; null when the model is not on disk. */
export async function benchBackends(copies: number, repeats: number): Promise<BenchRow | null> {
  if (!existsSync(join(TINY_VGG_DIR, 'model.json'))) return null;
  const { graph, images: originals } = loadTinyVgg();
  const images = Array.from({ length: copies }, () => originals).flat();
  const wasm = await imagesPerSecond('wasm', graph, images, repeats);
  const cpu = await imagesPerSecond('cpu', graph, images, repeats);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    measurement: `Tiny VGG feature extraction, ${images.length} images 64x64, batch ${BATCH_SIZE}`,
    first: `wasm ${wasm.rate.toFixed(0)} images/s`,
    second: `cpu ${cpu.rate.toFixed(0)} images/s`,
    ratio: wasm.rate / cpu.rate,
    check: `${wasm.rows === cpu.rows ? 'same' : 'DIFFERENT'} feature rows read back; wasm SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}`,
  };
}
