import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES, type ImageSet } from './fashionMnist';
import { decodedImages, firstPerClass, SAMPLE_JSON, SAMPLE_PIXELS, writeSampleSet } from './sampleSetFile';

/** Image i has every pixel equal to i and label i mod 10, except that the first ten images are all class 3. */
function syntheticSet(count: number): ImageSet {
  const labels = Uint8Array.from({ length: count }, (_, i) => (i < 10 ? 3 : i % 10));
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) pixels.fill(i, i * 784, (i + 1) * 784);
  return { count, pixels, labels };
}

describe('the sample set', () => {
  it('selects first images per class', () => {
    const indices = firstPerClass(syntheticSet(40), 2);
    expect(indices).toEqual([0, 1, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29]);
  });

  it('rejects a class with too few images', () => {
    expect(() => firstPerClass(syntheticSet(12), 2)).toThrow('Class 0 has only 1 images, but 2 per class were requested.');
  });

  it('writes description and pixel file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-set-'));
    const set = syntheticSet(40);
    const indices = firstPerClass(set, 2);
    writeSampleSet(dir, set, indices, 2);
    const description = JSON.parse(readFileSync(join(dir, SAMPLE_JSON), 'utf8'));
    const pixels = readFileSync(join(dir, SAMPLE_PIXELS));
    expect(description).toMatchObject({ format: 'lindeps-sample-set', version: 1, width: 28, height: 28, channels: 1, count: 20, pixels: SAMPLE_PIXELS });
    expect(description.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(description.labels).toEqual(indices.map((index) => set.labels[index]));
    expect(description.source).toBe('Fashion-MNIST test set (t10k), first 2 images of each class in test-set order (20 images)');
    expect(pixels.length).toBe(20 * 784);
    expect([pixels[0], pixels[2 * 784], pixels[19 * 784 + 783]]).toEqual([0, 10, 29]);
  });

  it('decodes to gray RGBA', () => {
    const [image] = decodedImages(syntheticSet(12), [11]);
    expect(image).toMatchObject({ width: 28, height: 28, path: 't10k/11.png' });
    expect(Array.from(image.rgba.subarray(0, 8))).toEqual([11, 11, 11, 255, 11, 11, 11, 255]);
  });
});
