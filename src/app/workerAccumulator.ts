import * as Comlink from 'comlink';
import type { RAccumulator } from '../core/analysis/rAccumulator';
import type { PivotedQr } from '../core/linalg/pivotedQr';
import type { QrWorkerApi } from '../workers/qrWorker';

interface QrWorker {
  worker: Worker;
  api: Comlink.Remote<QrWorkerApi>;
}

/** Counts the QR workers to start: one per spare core, at most one per layer, at most 4. */
function workerCount(layers: number): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(layers, cores - 1, 4));
}

/**
 * RAccumulator backed by Web Workers; layers are spread round-robin over the
 * workers. Feature rows are copied into the message, so the caller keeps its array.
 */
export class WorkerRAccumulator implements RAccumulator {
  private readonly workers: QrWorker[];
  private readonly pending: Promise<void>[] = [];
  /** The last update sent per layer; the next one waits for it, so each layer has one batch in flight. */
  private readonly inFlight = new Map<number, Promise<void>>();

  constructor(private readonly channelsPerLayer: number[]) {
    this.workers = Array.from({ length: workerCount(channelsPerLayer.length) }, () => {
      const worker = new Worker(new URL('../workers/qrWorker.ts', import.meta.url), { type: 'module', name: 'lindeps-qr' });
      return { worker, api: Comlink.wrap<QrWorkerApi>(worker) };
    });
    channelsPerLayer.forEach((channels, layerIndex) => {
      this.pending.push(this.workerFor(layerIndex).api.start(layerIndex, channels));
    });
  }

  private workerFor(layerIndex: number): QrWorker {
    return this.workers[layerIndex % this.workers.length];
  }

  async addRows(layerIndex: number, data: Float32Array, rows: number): Promise<void> {
    // The worker updates R while the page extracts the next batch; waiting for the
    // previous update of this layer bounds the memory held in messages.
    await this.inFlight.get(layerIndex);
    this.inFlight.set(layerIndex, this.workerFor(layerIndex).api.addRows(layerIndex, data, rows));
  }

  async finish(): Promise<PivotedQr[]> {
    await Promise.all([...this.pending, ...this.inFlight.values()]);
    const parts = await Promise.all(this.workers.map((worker) => worker.api.finish()));
    const merged: Record<number, PivotedQr> = Object.assign({}, ...parts);
    this.terminate();
    return this.channelsPerLayer.map((_, layerIndex) => merged[layerIndex]);
  }

  terminate(): void {
    for (const { worker, api } of this.workers) {
      api[Comlink.releaseProxy]();
      worker.terminate();
    }
  }
}
