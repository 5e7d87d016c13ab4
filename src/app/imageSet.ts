import type { DecodedImage } from '../core/data/preprocessing';

/** FNV-1a hash of an image's size and pixels, to recognise the same picture dropped twice. */
function pixelKey(image: DecodedImage): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < image.rgba.length; i++) hash = Math.imul(hash ^ image.rgba[i], 0x01000193);
  return `${image.width}x${image.height}:${(hash >>> 0).toString(16)}`;
}

/**
 * Adds images to a sample set. The same picture dropped again replaces the
 * earlier copy in place, because the later drop often carries the label (a
 * folder dropped after loose files).
 */
export function mergeImages(existing: DecodedImage[], added: DecodedImage[]): DecodedImage[] {
  const merged = [...existing];
  const positions = new Map(existing.map((image, index) => [pixelKey(image), index]));
  for (const image of added) {
    const key = pixelKey(image);
    const position = positions.get(key);
    if (position === undefined) {
      positions.set(key, merged.length);
      merged.push(image);
    } else {
      merged[position] = image;
    }
  }
  return merged;
}

/** Counts the images that repeat the pixels of an earlier image in the same list. */
export function countRepeatedPictures(images: DecodedImage[]): number {
  return images.length - new Set(images.map(pixelKey)).size;
}
