import type { ModelAnalysis } from '../pipeline';

/**
 * Returns the smallest tolerance (from the analysed diagonal ratios |R_kk| / |R_00|) at which at least
 * `fraction` of the prunable filters are dependent. A tolerance just above the needed-th smallest ratio
 * removes at least that many, and more where a layer's ratios do not decrease monotonically.
 */
export function toleranceRemoving(analysis: ModelAnalysis, fraction: number): number {
  const ratios = analysis.features.qrs.flatMap((qr) => {
    const channels = qr.cols;
    const r00 = Math.abs(qr.r[0]);
    return Array.from({ length: channels - 1 }, (_, k) => Math.abs(qr.r[(k + 1) * channels + k + 1]) / r00);
  });
  const total = analysis.features.layers.reduce((sum, layer) => sum + layer.channels, 0);
  const needed = Math.ceil(fraction * total);
  return [...ratios].sort((a, b) => a - b)[needed - 1] * (1 + 1e-9);
}
