import { seededRandom } from '../src/core/testing/seededRandom';

/** A synthetic feature matrix with known dependent channels, row-major rows x cols float32 like tapped feature maps. */
export interface PlantedFeatures {
  rows: number;
  cols: number;
  data: Float32Array;
  /** Channels that are, by construction, a scaled copy, an all-zero map and a mix of two others. */
  dependentChannels: number[];
}

/**
 * Builds post-ReLU-like features (non-negative, about half zeros, a different
 * scale per channel) and plants three dependencies in the last channels:
 * a positive-scaled duplicate, a dead channel and a linear combination of two channels.
 */
export function plantedFeatures(rows: number, cols: number, seed = 1): PlantedFeatures {
  const random = seededRandom(seed);
  const scales = Array.from({ length: cols }, (_, j) => 0.5 + (j % 7));
  const [duplicate, dead, mixed] = [cols - 3, cols - 2, cols - 1];
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < duplicate; j++) data[row + j] = Math.max(0, random() - 0.5) * scales[j];
    data[row + duplicate] = 2.5 * data[row];
    data[row + dead] = 0;
    data[row + mixed] = 0.75 * data[row + 1] - 1.25 * data[row + 2];
  }
  return { rows, cols, data, dependentChannels: [duplicate, dead, mixed] };
}
