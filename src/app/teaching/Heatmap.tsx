import { useEffect, useRef } from 'react';
import { heatmapPixels } from './heatmapColors';

export interface HeatmapProps {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  /** Value drawn at full colour; the same scale makes several pictures comparable. */
  scale: number;
  /** Width on screen in CSS pixels; the height follows the map's aspect ratio. */
  size: number;
  label: string;
  testId?: string;
}

/** Draws a map of signed values on a canvas, one canvas pixel per value, enlarged without smoothing. */
export function Heatmap({ values, rows, cols, scale, size, label, testId }: HeatmapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(heatmapPixels(values, scale), cols, rows), 0, 0);
  }, [values, rows, cols, scale]);

  return (
    <canvas
      ref={canvas}
      className="teaching-heatmap"
      width={cols}
      height={rows}
      style={{ width: size, height: (size * rows) / cols }}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
