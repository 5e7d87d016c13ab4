import type { Predictions } from '../metrics/predict';

export interface ClassScore {
  classIndex: number;
  value: number;
}

/** Returns the `count` largest outputs of one image, largest first. */
export function topClasses(predictions: Predictions, image: number, count: number): ClassScore[] {
  const row = imageOutputs(predictions, image);
  const scores = Array.from(row, (value, classIndex) => ({ classIndex, value }));
  return scores.sort((a, b) => b.value - a.value).slice(0, count);
}

export function imageOutputs(predictions: Predictions, image: number): Float32Array {
  const { values, outputSize } = predictions;
  const images = values.length / outputSize;
  if (!Number.isInteger(image) || image < 0 || image >= images) throw new RangeError(`Image ${image} is out of range for ${images} images.`);
  return values.subarray(image * outputSize, (image + 1) * outputSize);
}

/** Returns max |before - after| over the outputs of one image. */
export function imageMaxDifference(before: Predictions, after: Predictions, image: number): number {
  const original = imageOutputs(before, image);
  const pruned = imageOutputs(after, image);
  return original.reduce((max, value, i) => Math.max(max, Math.abs(value - pruned[i])), 0);
}
