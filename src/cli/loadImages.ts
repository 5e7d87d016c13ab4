import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import type { DecodedImage } from '../core/data/preprocessing';
import { decodeImage } from '../node/decodeImage';
import { UsageError } from './usageError';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export interface ImageFile {
  absolutePath: string;
  /** Path relative to the parent of the given folder (`img/koala_2.jpeg`), so labels can come from folder names. */
  labelPath: string;
}

export interface ImageListing {
  files: ImageFile[];
  /** Files inside the given folders that are not PNG/JPEG by extension. */
  skipped: number;
}

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** Lists the images to use: given files as they are, and the PNG/JPEG files under given folders, sorted by path. */
export function listImages(paths: string[]): ImageListing {
  const listing: ImageListing = { files: [], skipped: 0 };
  const visit = (path: string, root: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry), root);
    } else if (isImageName(path)) {
      listing.files.push({ absolutePath: path, labelPath: relative(root, path) });
    } else {
      listing.skipped++;
    }
  };
  for (const argument of paths) {
    const path = resolve(argument);
    if (!existsSync(path)) throw new UsageError(`Image path '${argument}' given with --images does not exist.`);
    if (statSync(path).isDirectory()) visit(path, resolve(path, '..'));
    else listing.files.push({ absolutePath: path, labelPath: relative(resolve(path, '..'), path) });
  }
  if (listing.files.length === 0) {
    throw new UsageError(`No .png, .jpg or .jpeg files found in ${paths.map((path) => `'${path}'`).join(', ')}; give images with --images.`);
  }
  return listing;
}

/**
 * Decodes every listed image to RGBA, because the analysis and the evaluation both pass over them.
 * NOTE: all images stay decoded at their full size until the run ends, so thousands of large photos need gigabytes.
 */
export function decodeImages(files: ImageFile[]): DecodedImage[] {
  return files.map((file) => {
    try {
      return decodeImage(file.labelPath, new Uint8Array(readFileSync(file.absolutePath)));
    } catch (error) {
      throw new Error(`Image '${file.absolutePath}' could not be decoded (${(error as Error).message}). Remove it or convert it to PNG or JPEG.`);
    }
  });
}
