import { formatById } from '../core/formats/registry';
import { TOLERANCE_RULE } from '../core/analysis/tolerance';
import type { BlockedLayer } from '../core/analysis/prunableLayers';
import { describeScaling } from '../core/data/preprocessing';
import { countParameters, inputNode } from '../core/graph/graphQueries';
import { countFlops } from '../core/metrics/flops';
import { countDependent, type LayerDependencies } from '../core/analysis/layerDependencies';
import { dependentFilters, imagesNeeded, nextCandidate, totalFilters, worstDependentFilter } from './analysisSummary';
import { formatCount, formatRatio, formatRatioRoundedUp, formatTolerance } from './numberFormat';
import type { AnalysisRun } from './runAnalysis';
import { formatTable } from './textTable';

/** Above this relative residual a dependent filter is reported as only approximately dependent; exact ones are near float32 roundoff. */
const APPROXIMATE_RESIDUAL = 1e-3;

function labelLines(run: AnalysisRun): string[] {
  const { labels, images, options } = run;
  if (!run.hasClassList) return ['Labels     none (no --classes): accuracy cannot be measured, prune reports top-1 agreement'];
  const lines = [`Labels     ${labels.matched} of ${images.length} images matched a class in ${options.classesPath}`];
  for (const problem of labels.problems) {
    const problemText = problem.label === null ? 'no label in the path' : `${problem.how} label '${problem.label}'`;
    const candidates = problem.candidates.length > 0 ? `, candidates: ${problem.candidates.join(', ')}` : '';
    lines.push(`             ${problemText}: ${problem.images} images, e.g. ${problem.exampleImage}${candidates}`);
  }
  return lines;
}

function headerLines(run: AnalysisRun): string[] {
  const { loaded, images, options } = run;
  const graph = loaded.model.graph;
  return [
    `Model      ${loaded.modelPath} (${formatById(loaded.model.format).label} '${graph.name}')`,
    `           ${formatCount(countParameters(graph))} parameters, ${formatCount(countFlops(graph))} FLOPs per image`,
    `Images     ${images.length} sample images resized to ${inputNode(graph).shape.join('x')}, scaling ${describeScaling(options.scaling)}`,
    `           batch size ${options.batchSize}, backend ${options.backend}`,
    ...labelLines(run),
    `Tolerance  ${formatTolerance(options.tolerance)}: ${TOLERANCE_RULE}`,
  ];
}

function layerLines(dependencies: LayerDependencies, rows: number, imageCount: number): string[] {
  const { layer, split } = dependencies;
  const dependent = dependentFilters(dependencies);
  const count = dependent.length === 0 ? 'no dependent filters' : `${dependent.length} dependent filter${dependent.length === 1 ? '' : 's'}`;
  const smallestKept = split.rank > 1 ? `, smallest kept |R_kk|/|R_00| ${formatRatio(split.diagRatios[split.rank - 1])}` : '';
  const lines = [
    `  ${layer.writers.join(' + ')}: ${layer.channels} channels, rank ${split.rank} of ${layer.channels}, ${count}`,
    `    measured at ${[...new Set(layer.readers.map((reader) => reader.tap))].join(', ')} (${formatCount(rows)} rows), read by ${layer.readers.map((reader) => reader.consumer).join(', ')}${smallestKept}`,
  ];
  const needed = imagesNeeded(layer.channels, rows, imageCount);
  if (needed !== null) {
    lines.push(`    WARNING: only ${rows} rows for ${layer.channels} channels, so the rank cannot exceed ${rows} whatever the weights; give at least ${needed} images.`);
  }
  if (dependent.length === 0) return lines;
  const table = [['filter', '|R_kk|/|R_00|', 'relative residual', '']];
  for (const filter of dependent) {
    table.push([String(filter.channel), formatRatio(filter.diagRatio), formatRatio(filter.relativeResidual), filter.columnNorm === 0 ? 'dead (all-zero map)' : '']);
  }
  return [...lines, ...formatTable(table, '    ')];
}

function blockedLines(blocked: BlockedLayer[]): string[] {
  if (blocked.length === 0) return ['Not prunable: none'];
  return [`Not prunable: ${blocked.length}`, ...blocked.map(({ layer, reason }) => `  ${layer}: ${reason}`)];
}

/** Warns when a dependent filter's map is far from a combination of the kept maps, which only a high tolerance allows. */
function approximationLines(dependencies: LayerDependencies[]): string[] {
  const worst = worstDependentFilter(dependencies);
  if (worst === null || worst.filter.relativeResidual <= APPROXIMATE_RESIDUAL) return [];
  const { layer, filter } = worst;
  return [
    `Note: filter ${filter.channel} of ${layer} has relative residual ${formatRatio(filter.relativeResidual)}, so it is not a linear combination of the kept filters. ` +
      `It counts as dependent only because its map is small (|R_kk|/|R_00| = ${formatRatio(filter.diagRatio)}), and removing it changes the outputs.`,
  ];
}

/** Warns about layers whose rank is capped by too few feature rows, which makes their dependencies artifacts. */
function undersampledLines(run: AnalysisRun): string[] {
  const rows = run.analysis.features.rows;
  const undersampled = run.dependencies.filter(({ layer }, i) => imagesNeeded(layer.channels, rows[i], run.images.length) !== null);
  if (undersampled.length === 0) return [];
  const names = undersampled.map(({ layer }) => layer.producer).join(', ');
  return [`WARNING: ${names} had fewer sample rows than channels, so their dependent filters come from too few images, not from the model.`];
}

function zeroRemovedLines(run: AnalysisRun, verb: string): string[] {
  const lines = [
    `*** 0 FILTERS ${verb.toUpperCase()} at tolerance ${formatTolerance(run.options.tolerance)}. ***`,
    `Every prunable layer has full rank on these ${run.images.length} images.`,
  ];
  const next = nextCandidate(run.dependencies);
  if (next) {
    lines.push(
      `The first filter to go as the tolerance rises is filter ${next.channel} of ${next.layer} (|R_kk|/|R_00| = ${formatRatio(next.diagRatio)}): ` +
        `--tolerance ${formatRatioRoundedUp(next.diagRatio)} removes it, but only approximately, so check the output difference that prune reports.`,
    );
  }
  return lines;
}

/** States the outcome. A result of 0 filters is set apart in capitals so it never reads as a success. */
export function resultLines(run: AnalysisRun, verb: 'would be removed' | 'removed'): string[] {
  const { dependencies, options } = run;
  if (dependencies.length === 0) {
    return [`*** NO PRUNABLE LAYERS: 0 filters ${verb}. ***`, 'No Conv2D layer can be pruned; the reasons are listed above.'];
  }
  const removed = countDependent(dependencies);
  if (removed === 0) return zeroRemovedLines(run, verb);
  return [
    ...undersampledLines(run),
    `Result: ${removed} of ${totalFilters(dependencies)} filters in ${dependencies.length} prunable layer${dependencies.length === 1 ? '' : 's'} ${verb} at tolerance ${formatTolerance(options.tolerance)}.`,
    ...approximationLines(dependencies),
  ];
}

/** Renders the analysis as the text report of `analyze` (and the first part of `prune`). */
export function formatAnalysisReport(run: AnalysisRun): string[] {
  const { dependencies, analysis } = run;
  const rows = analysis.features.rows;
  return [
    ...headerLines(run),
    '',
    `Prunable layers: ${dependencies.length}`,
    ...dependencies.flatMap((layer, i) => layerLines(layer, rows[i], run.images.length)),
    ...blockedLines(analysis.prunability.blocked),
  ];
}
