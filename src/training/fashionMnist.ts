import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Folder of the files that Debian's dataset-fashion-mnist package installs. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export const IMAGE_SIZE = 28;

/** Images as uint8 pixels, image after image, row-major, with one class index per image. */
export interface ImageSet {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface FashionMnist {
  train: ImageSet;
  test: ImageSet;
}

export class MissingDatasetError extends Error {}

const IDX_IMAGES_MAGIC = 0x00000803;
const IDX_LABELS_MAGIC = 0x00000801;

/** Reads the four gzipped IDX files of Fashion-MNIST from `dir`. */
export function loadFashionMnist(dir: string = FASHION_MNIST_DIR): FashionMnist {
  return { train: loadSplit(dir, 'train'), test: loadSplit(dir, 't10k') };
}

function loadSplit(dir: string, prefix: 'train' | 't10k'): ImageSet {
  const pixels = parseIdxImages(readGzip(join(dir, `${prefix}-images-idx3-ubyte.gz`)));
  const labels = parseIdxLabels(readGzip(join(dir, `${prefix}-labels-idx1-ubyte.gz`)));
  if (pixels.count !== labels.length) {
    throw new Error(`Fashion-MNIST '${prefix}' has ${pixels.count} images but ${labels.length} labels. Reinstall dataset-fashion-mnist.`);
  }
  return { count: pixels.count, pixels: pixels.data, labels };
}

function readGzip(path: string): Uint8Array {
  if (!existsSync(path)) {
    throw new MissingDatasetError(`Fashion-MNIST file '${path}' is missing. Install it with: sudo apt-get install dataset-fashion-mnist`);
  }
  return new Uint8Array(gunzipSync(readFileSync(path)));
}

function readHeader(bytes: Uint8Array, words: number, magic: number, kind: string): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < words * 4 || view.getUint32(0) !== magic) {
    throw new Error(`Not an IDX ${kind} file: expected magic number 0x${magic.toString(16).padStart(8, '0')}.`);
  }
  return Array.from({ length: words - 1 }, (_, i) => view.getUint32(4 + i * 4));
}

/** Parses an IDX3 file of 28x28 uint8 images (big-endian header: magic, count, rows, columns). */
export function parseIdxImages(bytes: Uint8Array): { count: number; data: Uint8Array } {
  const [count, rows, columns] = readHeader(bytes, 4, IDX_IMAGES_MAGIC, 'image');
  if (rows !== IMAGE_SIZE || columns !== IMAGE_SIZE) throw new Error(`IDX images are ${rows}x${columns}, expected ${IMAGE_SIZE}x${IMAGE_SIZE}.`);
  const data = bytes.subarray(16);
  if (data.byteLength !== count * rows * columns) {
    throw new Error(`IDX image file has ${data.byteLength} pixel bytes, but its header gives ${count} x ${rows} x ${columns}. The file is truncated or corrupt.`);
  }
  return { count, data };
}

/** Parses an IDX1 file of uint8 labels (big-endian header: magic, count). */
export function parseIdxLabels(bytes: Uint8Array): Uint8Array {
  const [count] = readHeader(bytes, 2, IDX_LABELS_MAGIC, 'label');
  const labels = bytes.subarray(8);
  if (labels.byteLength !== count) throw new Error(`IDX label file has ${labels.byteLength} labels, but its header gives ${count}. The file is truncated or corrupt.`);
  const bad = labels.findIndex((label) => label >= FASHION_MNIST_CLASSES.length);
  if (bad >= 0) throw new Error(`IDX label ${bad} is ${labels[bad]}, but Fashion-MNIST classes are 0 to ${FASHION_MNIST_CLASSES.length - 1}.`);
  return labels;
}
