import { dependenciesAtTolerance, type LayerDependencies } from '../core/analysis/layerDependencies';
import { LocalRAccumulator } from '../core/analysis/rAccumulator';
import type { BatchRunOptions } from '../core/analysis/analyzeFeatures';
import type { DecodedImage } from '../core/data/preprocessing';
import { analyzeModel, type ModelAnalysis } from '../core/pipeline';
import type { CliIo } from './cliIo';
import type { AnalyzeOptions } from './cliOptions';
import { labelImages, noLabels, readClassNames, type ImageLabels } from './imageLabels';
import { decodeImages, listImages } from './loadImages';
import { loadModel, type LoadedModel } from './loadModel';
import { progressReporter } from './progress';
import { selectBackend } from './selectBackend';

/** Everything `analyze` measured, which `prune` continues from. */
export interface AnalysisRun {
  options: AnalyzeOptions;
  loaded: LoadedModel;
  images: DecodedImage[];
  /** Non-image files skipped inside the --images folders. */
  skippedFiles: number;
  labels: ImageLabels;
  /** True when --classes was given, so labels and accuracy are meaningful. */
  hasClassList: boolean;
  analysis: ModelAnalysis;
  dependencies: LayerDependencies[];
}

export function batchRunOptions(options: AnalyzeOptions, onProgress: BatchRunOptions['onProgress']): BatchRunOptions {
  return { scaling: options.scaling, batchSize: options.batchSize, onProgress };
}

function warnAboutClassCount(io: CliIo, run: AnalysisRun): void {
  const classes = run.labels.classNames.length;
  const outputs = run.analysis.features.outputSize;
  if (run.hasClassList && classes !== outputs) {
    io.stderr(`warning: --classes lists ${classes} names but the model has ${outputs} outputs; labels past the outputs can never be right.\n`);
  }
}

/** Loads the model and images, then measures every prunable layer's feature dependencies in one pass. */
export async function runAnalysis(options: AnalyzeOptions, io: CliIo): Promise<AnalysisRun> {
  // Every file named on the command line is checked before the slow steps start.
  const loaded = loadModel(options.modelPath, options.weightPaths);
  const listing = listImages(options.imagePaths);
  const classNames = options.classesPath === null ? null : readClassNames(options.classesPath);
  for (const note of loaded.model.notes) io.stderr(`note: ${note}\n`);
  if (listing.skipped > 0) io.stderr(`note: skipped ${listing.skipped} files without a .png, .jpg or .jpeg extension in the --images folders.\n`);

  await selectBackend(options.backend);
  const images = decodeImages(listing.files);
  const labels = classNames === null ? noLabels(images) : labelImages(images, classNames);
  const analysis = await analyzeModel(
    loaded.model.graph,
    images,
    (channels) => new LocalRAccumulator(channels),
    batchRunOptions(options, progressReporter(io, 'extracting features')),
  );
  const dependencies = dependenciesAtTolerance(analysis.features, options.tolerance);
  const run: AnalysisRun = { options, loaded, images, skippedFiles: listing.skipped, labels, hasClassList: classNames !== null, analysis, dependencies };
  warnAboutClassCount(io, run);
  return run;
}
