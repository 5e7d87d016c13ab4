import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countDependent, dependenciesAtTolerance } from '../core/analysis/layerDependencies';
import { LocalRAccumulator } from '../core/analysis/rAccumulator';
import type { DecodedImage } from '../core/data/preprocessing';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { analyzeModel, pruneAndEvaluate } from '../core/pipeline';
import { WEIGHTS_FILE } from './saveLayersModel';

export interface LayerCount {
  layer: string;
  channels: number;
  dependent: number;
  /** Number of dependent channels whose feature map is all zero on the sample images. */
  dead: number;
  /** Maximum relative residual of reconstructing a dependent channel from the kept ones, 0 when none is dependent. */
  maxResidual: number;
}

export interface ToleranceResult {
  tolerance: number;
  dependent: number;
  perLayer: LayerCount[];
  accuracyBefore: number | null;
  accuracyAfter: number | null;
  maxAbsDifference: number;
  paramsBefore: number;
  paramsAfter: number;
}

/**
 * Runs LinDeps with the workbench core on the saved model in `dir`, as the app
 * does. It imports model.json, measures the feature maps on the sample images,
 * then prunes at each tolerance and compares the outputs.
 */
export async function measureDependencies(dir: string, images: DecodedImage[], labels: number[], tolerances: number[]): Promise<ToleranceResult[]> {
  const files = ['model.json', WEIGHTS_FILE].map((name) => ({ name, path: name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
  const options = { scaling: { kind: 'unit' as const }, batchSize: 50 };
  const { graph } = tfjsLayersFormat.import(files);
  const analysis = await analyzeModel(graph, images, (channels) => new LocalRAccumulator(channels), options);
  const results: ToleranceResult[] = [];
  for (const tolerance of tolerances) {
    const outcome = await pruneAndEvaluate(graph, analysis, tolerance, images, labels, options);
    const dependencies = dependenciesAtTolerance(analysis.features, tolerance);
    const ratio = (accuracy: { correct: number; labelled: number } | null) => (accuracy === null ? null : accuracy.correct / accuracy.labelled);
    results.push({
      tolerance,
      dependent: countDependent(dependencies),
      perLayer: dependencies.map(({ layer, split }) => ({
        layer: layer.producer,
        channels: split.cols,
        dependent: split.dependentChannels.length,
        dead: Array.from(split.columnNorms).filter((norm) => norm === 0).length,
        maxResidual: Math.max(0, ...split.relativeResiduals),
      })),
      accuracyBefore: ratio(outcome.before.accuracy),
      accuracyAfter: ratio(outcome.after.accuracy),
      maxAbsDifference: outcome.comparison.maxAbsDifference,
      paramsBefore: outcome.before.params,
      paramsAfter: outcome.after.params,
    });
  }
  return results;
}

export function formatDependencies(results: ToleranceResult[]): string[] {
  return results.flatMap((result) => [
    `tolerance ${result.tolerance.toExponential(0)}: ${result.dependent} dependent filters; params ${result.paramsBefore} -> ${result.paramsAfter}; ` +
      `sample accuracy ${result.accuracyBefore?.toFixed(4)} -> ${result.accuracyAfter?.toFixed(4)}; max output difference ${result.maxAbsDifference.toExponential(2)}`,
    ...result.perLayer.map(
      ({ layer, channels, dependent, dead, maxResidual }) =>
        `  ${layer}: ${dependent} of ${channels} dependent (${dead} all-zero), max relative residual ${maxResidual.toExponential(1)}`,
    ),
  ]);
}
