import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DecodedImage } from '../core/data/preprocessing';

const IMAGES_MAGIC = 0x803;
const LABELS_MAGIC = 0x801;

export interface MnistSample {
  images: DecodedImage[];
  labels: number[];
}

function readIdx(path: string, magic: number): { view: DataView; bytes: Uint8Array } {
  const bytes = new Uint8Array(gunzipSync(readFileSync(path)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0) !== magic) {
    throw new Error(`'${path}' is not an IDX file with magic 0x${magic.toString(16)} (found 0x${bytes.length >= 4 ? view.getUint32(0).toString(16) : '?'}).`);
  }
  return { view, bytes };
}

/**
 * Reads the first `count` MNIST images and labels from gzipped IDX files
 * (big-endian header, then one byte per pixel, white digits on black). Each
 * grey pixel becomes an RGBA pixel with R = G = B, so the usual image pipeline
 * reads it back unchanged.
 */
export function readMnistIdx(imagesPath: string, labelsPath: string, count: number): MnistSample {
  const images = readIdx(imagesPath, IMAGES_MAGIC);
  const labels = readIdx(labelsPath, LABELS_MAGIC);
  const [total, height, width] = [4, 8, 12].map((offset) => images.view.getUint32(offset));
  const labelTotal = labels.view.getUint32(4);
  if (count > total || count > labelTotal) throw new Error(`Requested ${count} MNIST images, but '${imagesPath}' has ${total} and '${labelsPath}' ${labelTotal}.`);
  const pixels = height * width;
  const sample: MnistSample = { images: [], labels: [] };
  for (let index = 0; index < count; index++) {
    const rgba = new Uint8Array(pixels * 4);
    for (let p = 0; p < pixels; p++) {
      const grey = images.bytes[16 + index * pixels + p];
      rgba.set([grey, grey, grey, 255], p * 4);
    }
    const label = labels.bytes[8 + index];
    sample.images.push({ path: `t10k/${index}.png`, width, height, rgba });
    sample.labels.push(label);
  }
  return sample;
}
