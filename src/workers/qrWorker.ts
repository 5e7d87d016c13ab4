import * as Comlink from 'comlink';
import { pivotedQr, type PivotedQr } from '../core/linalg/pivotedQr';
import { StreamingR } from '../core/linalg/streamingR';

/**
 * Accumulates the R factors of some layers in a Web Worker, so the Float64
 * QR updates run beside feature extraction instead of blocking the page.
 */
const streams = new Map<number, StreamingR>();

export const qrWorkerApi = {
  /** Starts a fresh R accumulator for a layer; replaces any earlier one with that index. */
  start(layerIndex: number, channels: number): void {
    streams.set(layerIndex, new StreamingR(channels));
  },

  addRows(layerIndex: number, data: Float32Array, rows: number): void {
    const stream = streams.get(layerIndex);
    if (!stream) throw new Error(`QR worker has no accumulator for layer ${layerIndex}; call start() first.`);
    stream.addRows(data, rows);
  },

  /** Pivoted QR of each accumulated R, keyed by layer index; the accumulators are released. */
  finish(): Record<number, PivotedQr> {
    const results: Record<number, PivotedQr> = {};
    for (const [layerIndex, stream] of streams) {
      const qr = pivotedQr(stream.r(), stream.cols, stream.cols);
      results[layerIndex] = Comlink.transfer(qr, [qr.r.buffer, qr.pivots.buffer]) as PivotedQr;
    }
    streams.clear();
    return results;
  },
};

export type QrWorkerApi = typeof qrWorkerApi;

Comlink.expose(qrWorkerApi);
