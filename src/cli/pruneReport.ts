import type { Accuracy } from '../core/metrics/compareOutputs';
import type { PruneOutcome } from '../core/pipeline';
import { formatCount, formatPercentChange, formatRatio } from './numberFormat';
import { formatTable } from './textTable';

function formatAccuracy(accuracy: Accuracy | null): string {
  if (accuracy === null) return 'n/a';
  return `${accuracy.correct}/${accuracy.labelled} (${((100 * accuracy.correct) / accuracy.labelled).toFixed(1)} %)`;
}

/** Renders before/after figures of a pruned model, measured on the sample images. */
export function formatPruneReport(outcome: PruneOutcome): string[] {
  const { before, after, comparison } = outcome;
  const table = [
    ['', 'before', 'after', 'change'],
    ['parameters', formatCount(before.params), formatCount(after.params), formatPercentChange(before.params, after.params)],
    ['FLOPs per image', formatCount(before.flops), formatCount(after.flops), formatPercentChange(before.flops, after.flops)],
  ];
  if (before.accuracy !== null) table.push(['top-1 accuracy', formatAccuracy(before.accuracy), formatAccuracy(after.accuracy), '']);
  return [
    `Pruned model, evaluated on the same ${comparison.images} sample images that were analysed:`,
    ...formatTable(table, '  '),
    `  top-1 agreement with the original: ${comparison.top1Agreement}/${comparison.images} images`,
    `  max |output difference| (first model output, every image and unit): ${formatRatio(comparison.maxAbsDifference)}`,
  ];
}
