import { pivotedQr, type PivotedQr } from '../linalg/pivotedQr';
import { StreamingR } from '../linalg/streamingR';

/**
 * Receives each layer's feature rows batch by batch and returns the pivoted QR
 * of each layer's R factor at the end. Implemented in-process here and in a
 * Web Worker by the app, so feature extraction and the QR updates overlap.
 */
export interface RAccumulator {
  /** Adds `rows` rows (row-major, rows x channels of that layer) to layer `layerIndex`. */
  addRows(layerIndex: number, data: Float32Array, rows: number): Promise<void>;
  /** Pivoted QR of every layer's accumulated R, in layer order. */
  finish(): Promise<PivotedQr[]>;
}

/** Accumulates R in the calling thread (Node, tests, CLI). */
export class LocalRAccumulator implements RAccumulator {
  private readonly streams: StreamingR[];

  constructor(channelsPerLayer: number[]) {
    this.streams = channelsPerLayer.map((channels) => new StreamingR(channels));
  }

  async addRows(layerIndex: number, data: Float32Array, rows: number): Promise<void> {
    this.streams[layerIndex].addRows(data, rows);
  }

  async finish(): Promise<PivotedQr[]> {
    return this.streams.map((stream) => pivotedQr(stream.r(), stream.cols, stream.cols));
  }
}
