import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodedImage } from '../core/data/preprocessing';
import { FASHION_MNIST_CLASSES, IMAGE_SIZE, type ImageSet } from './fashionMnist';

export const SAMPLE_JSON = 'fashion-mnist-sample.json';
export const SAMPLE_PIXELS = 'fashion-mnist-sample.u8';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Selects the first `perClass` images of every class and returns their indices in test-set order. */
export function firstPerClass(set: ImageSet, perClass: number): number[] {
  const selectedPerClass = new Array<number>(FASHION_MNIST_CLASSES.length).fill(0);
  const indices: number[] = [];
  for (let i = 0; i < set.count; i++) {
    if (selectedPerClass[set.labels[i]] < perClass) {
      selectedPerClass[set.labels[i]]++;
      indices.push(i);
    }
  }
  const short = selectedPerClass.findIndex((count) => count < perClass);
  if (short >= 0) throw new Error(`Class ${short} has only ${selectedPerClass[short]} images, but ${perClass} per class were requested.`);
  return indices;
}

/** Writes the images `indices` of the test set as a lindeps-sample-set (JSON description plus raw uint8 pixels). */
export function writeSampleSet(dir: string, test: ImageSet, indices: number[], perClass: number): void {
  const pixels = new Uint8Array(indices.length * PIXELS);
  indices.forEach((index, i) => pixels.set(test.pixels.subarray(index * PIXELS, (index + 1) * PIXELS), i * PIXELS));
  const description = {
    format: 'lindeps-sample-set',
    version: 1,
    source: `Fashion-MNIST test set (t10k), first ${perClass} images of each class in test-set order (${indices.length} images)`,
    width: IMAGE_SIZE,
    height: IMAGE_SIZE,
    channels: 1,
    count: indices.length,
    classNames: FASHION_MNIST_CLASSES,
    labels: indices.map((index) => test.labels[index]),
    pixels: SAMPLE_PIXELS,
  };
  writeFileSync(join(dir, SAMPLE_PIXELS), pixels);
  writeFileSync(join(dir, SAMPLE_JSON), `${JSON.stringify(description, null, 2)}\n`);
}

/** Converts test images to the RGBA images that the workbench core reads, with the gray value in R, G and B. */
export function decodedImages(test: ImageSet, indices: number[]): DecodedImage[] {
  return indices.map((index) => {
    const rgba = new Uint8Array(PIXELS * 4);
    for (let p = 0; p < PIXELS; p++) {
      const gray = test.pixels[index * PIXELS + p];
      rgba.set([gray, gray, gray, 255], p * 4);
    }
    return { path: `t10k/${index}.png`, width: IMAGE_SIZE, height: IMAGE_SIZE, rgba };
  });
}
