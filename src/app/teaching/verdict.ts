import type { DependencySplit } from '../../core/linalg/dependencySplit';

/** Residual over all images below which removing a filter is exact up to float32 rounding. */
const EXACT_RESIDUAL = 1e-3;
/** Residual above which the kept maps do not really rebuild the filter. */
const POOR_RESIDUAL = 0.1;

/** Explains in plain words what removing dependent filter `dependentIndex` costs, from its residual over all sample images. */
export function rebuildVerdict(split: DependencySplit, dependentIndex: number): string {
  const channel = split.dependentChannels[dependentIndex];
  const residual = split.relativeResiduals[dependentIndex];
  if (split.columnNorms[dependentIndex] === 0) return `Filter #${channel} is silent (all zero) on every sample image, so removing it changes nothing.`;
  if (residual < EXACT_RESIDUAL) return `The kept maps rebuild filter #${channel} almost perfectly, so removing it changes the outputs only by rounding.`;
  if (residual <= POOR_RESIDUAL) return `The kept maps rebuild filter #${channel} closely but not exactly, so removing it changes the outputs slightly.`;
  return (
    `The kept maps rebuild filter #${channel} poorly. It was chosen because its map is weak (little signal next to the others), ` +
    'not because the others can rebuild it, so removing it works only as far as its signal is small.'
  );
}
