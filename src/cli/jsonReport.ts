import { countDependent } from '../core/analysis/layerDependencies';
import { TOLERANCE_RULE } from '../core/analysis/tolerance';
import { describeScaling } from '../core/data/preprocessing';
import { countParameters, inputNode } from '../core/graph/graphQueries';
import { countFlops } from '../core/metrics/flops';
import type { PruneOutcome } from '../core/pipeline';
import { dependentFilters, imagesNeeded, nextCandidate, totalFilters } from './analysisSummary';
import type { AnalysisRun } from './runAnalysis';

/** Builds the --json document of `analyze`; `prune` adds a `prune` member. Its field names are public output, so renaming one breaks scripts. */
export function analysisJson(run: AnalysisRun, command: 'analyze' | 'prune'): Record<string, unknown> {
  const { loaded, options, images, labels, analysis, dependencies } = run;
  const graph = loaded.model.graph;
  return {
    command,
    model: {
      path: loaded.modelPath,
      format: loaded.model.format,
      weights: loaded.weightPaths,
      name: graph.name,
      inputShape: inputNode(graph).shape,
      params: countParameters(graph),
      flops: countFlops(graph),
      notes: loaded.model.notes,
    },
    settings: {
      tolerance: options.tolerance,
      toleranceRule: TOLERANCE_RULE,
      scaling: describeScaling(options.scaling),
      batchSize: options.batchSize,
      backend: options.backend,
    },
    images: {
      count: images.length,
      skippedFiles: run.skippedFiles,
      classList: options.classesPath,
      labelled: labels.matched,
      labelProblems: labels.problems,
    },
    layers: dependencies.map((layerDependencies, i) => {
      const { layer, split } = layerDependencies;
      return {
        producer: layer.producer,
        consumer: layer.consumer,
        tap: layer.tap,
        writers: layer.writers,
        readers: layer.readers.map((reader) => ({ consumer: reader.consumer, tap: reader.tap })),
        channels: layer.channels,
        rows: analysis.features.rows[i],
        imagesNeededForFullRank: imagesNeeded(layer.channels, analysis.features.rows[i], images.length),
        rank: split.rank,
        keptChannels: split.keptChannels,
        diagRatios: Array.from(split.diagRatios),
        dependent: dependentFilters(layerDependencies),
      };
    }),
    blocked: analysis.prunability.blocked,
    totalFilters: totalFilters(dependencies),
    dependentFilters: countDependent(dependencies),
    nextCandidate: nextCandidate(dependencies),
  };
}

export function pruneJson(outcome: PruneOutcome, writtenFiles: string[]): Record<string, unknown> {
  return {
    removedFilters: outcome.removedFilters,
    before: outcome.before,
    after: outcome.after,
    comparison: outcome.comparison,
    writtenFiles,
  };
}
