import * as tf from '@tensorflow/tfjs';

/** An image decoded to 8-bit RGBA, independent of how it was decoded (canvas, jpeg-js, ...). */
export interface DecodedImage {
  /** Path inside the dropped folder, or the file name. */
  path: string;
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major RGBA. */
  rgba: Uint8Array | Uint8ClampedArray;
}

/** Mapping from 0..255 pixel values to model input values. */
export type PixelScaling =
  | { kind: 'unit' }
  | { kind: 'raw' }
  | { kind: 'symmetric' }
  | { kind: 'meanStd'; mean: number[]; std: number[] };

export const DEFAULT_SCALING: PixelScaling = { kind: 'unit' };

export function describeScaling(scaling: PixelScaling): string {
  switch (scaling.kind) {
    case 'unit':
      return 'pixel / 255 (0..1)';
    case 'raw':
      return 'pixel (0..255)';
    case 'symmetric':
      return 'pixel / 127.5 - 1 (-1..1)';
    case 'meanStd':
      return `(pixel / 255 - mean) / std, mean [${scaling.mean.join(', ')}], std [${scaling.std.join(', ')}]`;
  }
}

function scale(pixels: tf.Tensor3D, scaling: PixelScaling): tf.Tensor3D {
  switch (scaling.kind) {
    case 'unit':
      return tf.div(pixels, 255);
    case 'raw':
      return pixels;
    case 'symmetric':
      return tf.sub(tf.div(pixels, 127.5), 1);
    case 'meanStd': {
      const channels = pixels.shape[2];
      const pick = (values: number[]): number[] => (values.length === channels ? values : Array(channels).fill(values[0]));
      return tf.div(tf.sub(tf.div(pixels, 255), pick(scaling.mean)), pick(scaling.std));
    }
  }
}

/**
 * Converts images to one NHWC float32 batch for a model input of [height, width, channels]:
 * bilinear resize (half-pixel centers, as tf.image.resize), grayscale by ITU-R BT.601 weights
 * for one-channel inputs, then the pixel scaling.
 */
export function imagesToBatch(images: DecodedImage[], inputShape: number[], scaling: PixelScaling): tf.Tensor4D {
  const [height, width, channels] = inputShape;
  if (inputShape.length !== 3 || (channels !== 1 && channels !== 3)) {
    throw new Error(`Model input shape [${inputShape.join(', ')}] is not an image shape [height, width, 1 or 3].`);
  }
  return tf.tidy(() => {
    const tensors = images.map((image) => {
      if (image.rgba.length !== image.width * image.height * 4) {
        throw new Error(`Image '${image.path}' has ${image.rgba.length} bytes; expected ${image.width}x${image.height} RGBA.`);
      }
      let pixels: tf.Tensor3D = tf.slice(tf.tensor3d(Uint8Array.from(image.rgba), [image.height, image.width, 4], 'int32'), [0, 0, 0], [-1, -1, 3]);
      pixels = tf.cast(pixels, 'float32');
      if (image.height !== height || image.width !== width) {
        pixels = tf.image.resizeBilinear(pixels, [height, width], false, true);
      }
      if (channels === 1) pixels = tf.sum(tf.mul(pixels, [0.299, 0.587, 0.114]), -1, true);
      return scale(pixels, scaling);
    });
    return tf.stack(tensors) as tf.Tensor4D;
  });
}
