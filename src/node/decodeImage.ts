import { decode as decodeJpeg } from '@cwasm/jpeg-turbo';
import { PNG } from 'pngjs';
import type { DecodedImage } from '../core/data/preprocessing';

/**
 * Decodes a PNG or JPEG file's bytes to RGBA in Node, where no canvas exists.
 * JPEG goes through libjpeg-turbo (compiled to WebAssembly), the decoder
 * Chromium uses, so Node and the browser see the same pixels.
 */
export function decodeImage(path: string, bytes: Uint8Array): DecodedImage {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (isPng) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { path, width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
  }
  if (isJpeg) {
    const image = decodeJpeg(bytes);
    return { path, width: image.width, height: image.height, rgba: image.data };
  }
  throw new Error(`'${path}' is neither a PNG nor a JPEG file.`);
}
