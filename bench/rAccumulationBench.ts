import { DEFAULT_TOLERANCE } from '../src/core/analysis/tolerance';
import { splitAtTolerance } from '../src/core/linalg/dependencySplit';
import { pivotedQr, type PivotedQr } from '../src/core/linalg/pivotedQr';
import { StreamingR } from '../src/core/linalg/streamingR';
import { bestTime, formatBytes, type BenchRow } from './benchTable';
import { plantedFeatures, type PlantedFeatures } from './plantedFeatures';

/** Rows per incoming batch, as 16 images of 16x16 positions would deliver them. */
const BATCH_ROWS = 4096;
/** Mirrors the private sub-batch size of StreamingR (float64 entries), for the byte count only. */
const STREAMING_SUB_BATCH_ENTRIES = 1 << 15;
const FLOAT32_BYTES = 4;
const FLOAT64_BYTES = 8;

function streamingQr({ data, rows, cols }: PlantedFeatures): PivotedQr {
  const stream = new StreamingR(cols);
  for (let first = 0; first < rows; first += BATCH_ROWS) {
    const count = Math.min(BATCH_ROWS, rows - first);
    stream.addRows(data.subarray(first * cols, (first + count) * cols), count);
  }
  return pivotedQr(stream.r(), cols, cols);
}

function wholeMatrixQr({ data, rows, cols }: PlantedFeatures): PivotedQr {
  return pivotedQr(Float64Array.from(data), rows, cols);
}

/**
 * Bytes of matrices alive at the peak, counted from array sizes (not measured).
 * Streaming: the larger of (incoming float32 batch + R + sub-batch) while accumulating
 * and (R + its copy + pivotedQr's work copy + the output R) at the end.
 */
function streamingPeakBytes(cols: number): number {
  const square = cols * cols * FLOAT64_BYTES;
  const subBatchRows = Math.max(1, Math.floor(STREAMING_SUB_BATCH_ENTRIES / cols));
  const accumulating = BATCH_ROWS * cols * FLOAT32_BYTES + square + subBatchRows * cols * FLOAT64_BYTES;
  return Math.max(accumulating, 4 * square);
}

/** Whole matrix: M in float64 plus pivotedQr's column-major work copy and the output R. The float32 rows it was built from are not counted. */
function wholeMatrixPeakBytes(rows: number, cols: number): number {
  return 2 * rows * cols * FLOAT64_BYTES + cols * cols * FLOAT64_BYTES;
}

/**
 * Checks that both ways find rank cols - planted at the default tolerance, drop the same
 * channels and have nearly equal |R_kk|/|R_00|. Which member of a dependent pair is dropped
 * is the pivoting's choice, so the dropped set need not be the planted one.
 */
function agreement(streamed: PivotedQr, whole: PivotedQr, planted: number): string {
  const a = splitAtTolerance(streamed, DEFAULT_TOLERANCE);
  const b = splitAtTolerance(whole, DEFAULT_TOLERANCE);
  const expectedRank = a.cols - planted;
  const sameChannels = JSON.stringify(a.dependentChannels) === JSON.stringify(b.dependentChannels);
  const ranks = a.rank === expectedRank && b.rank === expectedRank ? `both rank ${expectedRank}` : `MISMATCH: rank ${a.rank} vs ${b.rank}, expected ${expectedRank}`;
  const maxDifference = Math.max(...a.diagRatios.map((value, k) => Math.abs(value - b.diagRatios[k])));
  return `${ranks}, ${sameChannels ? 'same' : 'DIFFERENT'} dropped channels, max diag ratio diff ${maxDifference.toExponential(1)}`;
}

/** Times streaming R accumulation against one pivoted QR of the whole matrix on the same planted features. */
export async function benchRAccumulation(rows: number, cols: number, repeats: number): Promise<BenchRow[]> {
  const features = plantedFeatures(rows, cols);
  const results: { streamed?: PivotedQr; whole?: PivotedQr } = {};
  const streamSeconds = await bestTime(repeats, () => (results.streamed = streamingQr(features)));
  const wholeSeconds = await bestTime(repeats, () => (results.whole = wholeMatrixQr(features)));
  const streamBytes = streamingPeakBytes(cols);
  const wholeBytes = wholeMatrixPeakBytes(rows, cols);
  const shape = `${rows.toLocaleString('en-US')} x ${cols}`;
  return [
    {
      measurement: `R of ${shape} features: time`,
      first: `streaming ${streamSeconds.toFixed(2)} s`,
      second: `whole-matrix QR ${wholeSeconds.toFixed(2)} s`,
      ratio: wholeSeconds / streamSeconds,
      check: agreement(results.streamed!, results.whole!, features.dependentChannels.length),
    },
    {
      measurement: `R of ${shape} features: matrix bytes at peak`,
      first: `streaming ${formatBytes(streamBytes)}`,
      second: `whole-matrix QR ${formatBytes(wholeBytes)}`,
      ratio: wholeBytes / streamBytes,
      check: 'counted from array sizes',
    },
  ];
}
