import type { ReactNode } from 'react';
import { Heatmap } from './Heatmap';

export type ChannelRole = 'kept' | 'dependent' | 'plain';

export interface MapFigureProps {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  scale: number;
  size: number;
  role: ChannelRole;
  label: string;
  caption: ReactNode;
  testId?: string;
}

/** Draws a heatmap with a caption under it, framed blue for a kept channel and orange for a dependent one. */
export function MapFigure({ values, rows, cols, scale, size, role, label, caption, testId }: MapFigureProps) {
  return (
    <figure className={`teaching-figure ${role}`} data-testid={testId} data-role={role}>
      <Heatmap values={values} rows={rows} cols={cols} scale={scale} size={size} label={label} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
