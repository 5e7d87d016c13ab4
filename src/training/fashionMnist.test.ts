import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, loadFashionMnist, MissingDatasetError, parseIdxImages, parseIdxLabels } from './fashionMnist';

function idx(header: number[], body: number[]): Uint8Array {
  const bytes = new Uint8Array(header.length * 4 + body.length);
  const view = new DataView(bytes.buffer);
  header.forEach((word, i) => view.setUint32(i * 4, word));
  bytes.set(body, header.length * 4);
  return bytes;
}

describe('IDX parsing', () => {
  it('parses images after header', () => {
    const pixels = Array.from({ length: 2 * 784 }, (_, i) => i % 256);
    const images = parseIdxImages(idx([0x803, 2, 28, 28], pixels));
    expect(images.count).toBe(2);
    expect(Array.from(images.data.subarray(784, 788))).toEqual([16, 17, 18, 19]);
  });

  it('parses labels after header', () => {
    expect(Array.from(parseIdxLabels(idx([0x801, 3], [9, 0, 4])))).toEqual([9, 0, 4]);
  });

  it('rejects invalid files with reasons', () => {
    expect(() => parseIdxImages(idx([0x801, 1, 28, 28], []))).toThrow('Not an IDX image file: expected magic number 0x00000803.');
    expect(() => parseIdxImages(idx([0x803, 1, 32, 32], []))).toThrow('IDX images are 32x32, expected 28x28.');
    expect(() => parseIdxImages(idx([0x803, 2, 28, 28], new Array(784).fill(0)))).toThrow('has 784 pixel bytes, but its header gives 2 x 28 x 28');
    expect(() => parseIdxLabels(idx([0x801, 2], [1, 10]))).toThrow('IDX label 1 is 10, but Fashion-MNIST classes are 0 to 9.');
  });
});

describe('loading', () => {
  it('missing dataset names install command', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-fashion-mnist-'));
    expect(() => loadFashionMnist(empty)).toThrow(MissingDatasetError);
    expect(() => loadFashionMnist(empty)).toThrow('Install it with: sudo apt-get install dataset-fashion-mnist');
  });

  const installed = existsSync(join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz'));
  if (!installed) console.warn(`SKIPPED Fashion-MNIST load test: ${FASHION_MNIST_DIR} not found (apt-get install dataset-fashion-mnist).`);

  it.skipIf(!installed)('loads the Debian package files', () => {
    const data = loadFashionMnist();
    expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
    expect([data.train.labels[0], data.test.labels[0]]).toEqual([9, 9]);
    expect(data.test.pixels.length).toBe(10000 * 784);
  });
});
