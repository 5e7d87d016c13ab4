import { useEffect, useRef } from 'react';
import type { DecodedImage } from '../../core/data/preprocessing';

/** Draws a sample image as it was decoded, scaled to `size` CSS pixels wide. */
export function ImageThumbnail({ image, size, testId }: { image: DecodedImage; size: number; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(Uint8ClampedArray.from(image.rgba), image.width, image.height), 0, 0);
  }, [image]);

  return (
    <canvas
      ref={canvas}
      className="teaching-photo"
      width={image.width}
      height={image.height}
      style={{ width: size, height: (size * image.height) / image.width }}
      role="img"
      aria-label={`Sample image ${image.path}`}
      data-testid={testId}
    />
  );
}
