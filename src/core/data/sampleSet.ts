import type { DecodedImage } from './preprocessing';

/**
 * A labelled image set stored compactly: a JSON description plus one file of
 * raw uint8 pixels, image after image, row-major, `channels` values per pixel.
 */
export interface SampleSetDescription {
  format: 'lindeps-sample-set';
  version: 1;
  source: string;
  width: number;
  height: number;
  channels: 1 | 3;
  count: number;
  classNames: string[];
  /** Class index of each image. */
  labels: number[];
  /** File name of the pixel data, relative to the description. */
  pixels: string;
}

export interface SampleSet {
  images: DecodedImage[];
  classNames: string[];
}

export function parseSampleSetDescription(value: unknown, source: string): SampleSetDescription {
  const description = value as Partial<SampleSetDescription>;
  if (description?.format !== 'lindeps-sample-set' || description.version !== 1) {
    throw new Error(`'${source}' is not a version 1 lindeps-sample-set description.`);
  }
  const { width, height, channels, count, classNames, labels } = description;
  if (!width || !height || (channels !== 1 && channels !== 3) || !count || !Array.isArray(classNames) || !Array.isArray(labels)) {
    throw new Error(`'${source}' lacks width, height, channels (1 or 3), count, classNames or labels.`);
  }
  if (labels.length !== count || labels.some((label) => !Number.isInteger(label) || label < 0 || label >= classNames.length)) {
    throw new Error(`'${source}' must have ${count} labels, each a class index below ${classNames.length}.`);
  }
  return description as SampleSetDescription;
}

/** Turns a class name into a folder name that labelFromPath reads back as the class (`T-shirt/top` -> `T-shirt top`). */
function folderName(className: string): string {
  return className.replace(/[\\/]+/g, ' ');
}

/** Expands the raw pixels to RGBA images whose paths carry the class as the folder name. */
export function decodeSampleSet(description: SampleSetDescription, pixels: Uint8Array): SampleSet {
  const { width, height, channels, count, classNames, labels } = description;
  const imageBytes = width * height * channels;
  if (pixels.byteLength !== count * imageBytes) {
    throw new Error(
      `Sample pixels '${description.pixels}' have ${pixels.byteLength} bytes; expected ${count} x ${width} x ${height} x ${channels} = ${count * imageBytes}.`,
    );
  }
  const images = labels.map((label, index): DecodedImage => {
    const rgba = new Uint8Array(width * height * 4);
    const offset = index * imageBytes;
    for (let pixel = 0; pixel < width * height; pixel++) {
      for (let channel = 0; channel < 3; channel++) {
        rgba[pixel * 4 + channel] = pixels[offset + pixel * channels + (channels === 1 ? 0 : channel)];
      }
      rgba[pixel * 4 + 3] = 255;
    }
    const path = `samples/${folderName(classNames[label])}/${String(index).padStart(4, '0')}.png`;
    return { path, width, height, rgba };
  });
  return { images, classNames };
}
