import { NEGATIVE_CSS, POSITIVE_CSS } from './heatmapColors';

/** Explains the colours of every picture in the teaching view. */
export function ColorLegend() {
  return (
    <p className="teaching-legend muted">
      <span className="teaching-swatch" style={{ background: NEGATIVE_CSS }} /> negative{' '}
      <span className="teaching-swatch" style={{ background: 'white' }} /> zero{' '}
      <span className="teaching-swatch" style={{ background: POSITIVE_CSS }} /> positive. Darker means larger in size.
    </p>
  );
}
