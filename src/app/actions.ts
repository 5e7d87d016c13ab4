import { findPrunableLayers } from '../core/analysis/prunableLayers';
import type { BatchRunOptions } from '../core/analysis/analyzeFeatures';
import { labelFromPath, matchLabel, parseClassNames, type LabelMatch } from '../core/data/labels';
import type { PixelScaling } from '../core/data/preprocessing';
import type { InputFile } from '../core/formats/inputFile';
import { describeUnrecognizedModelFile, detectFormat, formatById, isModelDocument } from '../core/formats/registry';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { inputNode } from '../core/graph/graphQueries';
import { compareOutputs } from '../core/metrics/compareOutputs';
import type { Predictions } from '../core/metrics/predict';
import { analyzeModel, pruneAndEvaluate } from '../core/pipeline';
import { chooseBackend } from './backendSelection';
import { decodeBrowserImage, isImageFile, toInputFile, type PickedFile } from './browserFiles';
import { describeUnsupportedModelFile } from '../core/formats/unsupportedFormats';
import { countRepeatedPictures, mergeImages } from './imageSet';
import { reloadDownload } from './reloadDownload';
import { IDLE_TASK, STALE_RESULTS, useWorkbench, type TaskState, type WorkbenchState } from './store';
import { WorkerRAccumulator } from './workerAccumulator';

const { getState, setState } = useWorkbench;

/** Results of the last prune, cleared when the tolerance, labels or model change. */
const STALE_PRUNE_RESULTS: Partial<WorkbenchState> = { outcome: null, exportFiles: null, exportTask: IDLE_TASK, verification: null };

let running: AbortController | null = null;

function runOptions(signal: AbortSignal, onProgress: (done: number, total: number) => void): BatchRunOptions {
  const { scaling, batchSize } = getState();
  return { scaling, batchSize, signal, onProgress: ({ imagesDone, imagesTotal }) => onProgress(imagesDone, imagesTotal) };
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function failedTask(error: unknown, cancelledMessage: string): TaskState {
  if (isAbort(error)) return { ...IDLE_TASK, phase: 'cancelled', message: cancelledMessage };
  return { ...IDLE_TASK, phase: 'error', message: (error as Error).message };
}

/** Class index of every sample image under the current class list (null when unlabelled). */
export function imageLabels(): LabelMatch[] {
  const { images, classNamesText } = getState();
  const classNames = parseClassNames(classNamesText);
  return images.map((image) => {
    const label = labelFromPath(image.path);
    if (label === null || classNames.length === 0) return { label: label ?? '', classIndex: null, how: 'unmatched', candidates: [] };
    return matchLabel(label, classNames);
  });
}

function tryImportModel(files: InputFile[]): void {
  // A JSON file no format recognises goes to the TF.js importer, whose error states what is wrong with it.
  const format = detectFormat(files) ?? (files.some(isModelDocument) ? tfjsLayersFormat : null);
  if (!format) {
    setState({ modelError: 'Waiting for a model: drop a TF.js model.json, a Keras .keras or .h5 file, or an ONNX .onnx file to go with these files.' });
    return;
  }
  try {
    const model = format.import(files);
    setState({ model, prunability: findPrunableLayers(model.graph), modelError: null, exportTargetId: null, ...staleResults('a new model was loaded') });
  } catch (error) {
    setState({ model: null, prunability: null, modelError: (error as Error).message, ...staleResults('the model files changed') });
  }
}

/** Names of files the page cannot use: image formats other than PNG and JPEG, and data or document files. */
const UNREADABLE_FILE_NAMES = /\.(gif|bmp|webp|tiff?|avif|heic|svg|ico|csv|md|py|ipynb|pdf|html?)$/i;

/** Tells the user which model files of one drop were not loaded, when the drop held several models. */
function noteIgnoredModels(added: InputFile[]): void {
  const { model, dropNotices } = getState();
  const models = added.filter((file) => detectFormat([file]) !== null);
  if (!model || models.length < 2) return;
  const ignored = models.filter((file) => file.name !== model.sourceName).map((file) => `'${file.name}'`);
  const notice = `Several models were dropped together: '${model.sourceName}' was loaded and ${ignored.join(', ')} ignored. Drop one model at a time.`;
  setState({ dropNotices: [...dropNotices, notice] });
}

/** Adds dropped or picked files: images become samples, `.txt` a class list, the rest model files. */
export async function addFiles(picked: PickedFile[]): Promise<void> {
  const images = picked.filter(({ file }) => isImageFile(file));
  const classLists = picked.filter(({ file }) => /\.txt$/i.test(file.name));
  const unreadable = picked.filter(({ file }) => UNREADABLE_FILE_NAMES.test(file.name));
  const others = picked.filter((entry) => !images.includes(entry) && !classLists.includes(entry) && !unreadable.includes(entry));
  setState({ dropNotices: [], userFileDrops: getState().userFileDrops + 1, demoStatus: IDLE_TASK });
  // The user's own files replace the whole demo: its images and classes do not fit their model.
  if (getState().demo && picked.length > 0) {
    setState({ ...STALE_RESULTS, demo: null, modelFiles: [], model: null, prunability: null, images: [], classNamesText: '', resultsClearedReason: null });
  }

  if (unreadable.length > 0) {
    const names = unreadable.map(({ file }) => `'${file.name}'`).join(', ');
    setState({ dropNotices: [`Ignored ${names}: the workbench reads PNG and JPEG images, .txt class lists and model files; convert other images to PNG.`] });
  }
  if (classLists.length > 0) setState({ classNamesText: await classLists[0].file.text() });
  let startsNewModel = false;
  if (others.length > 0) {
    const readable = await Promise.all(others.map(toInputFile));
    const notices = readable.map((file) => describeUnsupportedModelFile(file) ?? describeUnrecognizedModelFile(file));
    const added = readable.filter((_, index) => notices[index] === null);
    setState({ dropNotices: [...getState().dropNotices, ...notices.filter((notice): notice is string => notice !== null)] });
    // A new model document replaces a loaded model with all its files. While no model is loaded yet, the
    // files dropped so far are kept, so shards dropped before their model.json still join it.
    startsNewModel = added.some(isModelDocument);
    const { model: current, modelFiles } = getState();
    let keptFiles = modelFiles;
    if (startsNewModel) keptFiles = current ? [] : modelFiles.filter((file) => !isModelDocument(file));
    const byName = new Map([...keptFiles, ...added].map((file) => [file.name, file]));
    if (added.length > 0) {
      setState({ modelFiles: [...byName.values()] });
      tryImportModel([...byName.values()]);
      noteIgnoredModels(added);
    }
  }
  if (images.length > 0) {
    const decoded = await Promise.allSettled(images.map(decodeBrowserImage));
    const ok = decoded.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const errors = decoded.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    const repeated = countRepeatedPictures(ok);
    if (repeated > 0) {
      const notice = `${repeated} of the dropped images repeat the pixels of another dropped image and count once; the last copy's label is used.`;
      setState({ dropNotices: [...getState().dropNotices, notice] });
    }
    // Images dropped together with a new model belong to it; the previous model's images would not fit.
    const earlier = startsNewModel ? [] : getState().images;
    setState({ images: mergeImages(earlier, ok), imageErrors: errors, ...staleResults('images were added') });
  }
}

/** Clears every result computed from the model, images or preprocessing, remembering why for the user. */
function staleResults(reason: string): Partial<WorkbenchState> {
  return { ...STALE_RESULTS, resultsClearedReason: getState().analysis ? `The analysis was cleared because ${reason}; press Analyze again.` : null };
}

export function clearImages(): void {
  setState({ images: [], imageErrors: [], ...staleResults('the images were cleared') });
}

export function setClassNames(text: string): void {
  setState({ classNamesText: text, ...STALE_PRUNE_RESULTS, pruneTask: IDLE_TASK });
}

export function setScaling(scaling: PixelScaling): void {
  setState({ scaling, ...staleResults('the pixel scaling changed') });
}

/** Sets the tolerance from the user's text; invalid text is kept as an error that blocks pruning. */
export function setToleranceText(text: string): void {
  const value = /^\s*(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value < 1)) {
    setState({ toleranceError: `'${text}' is not a tolerance: enter a number from 0 to below 1, e.g. 1e-5.` });
    return;
  }
  setTolerance(value);
}

export function setTolerance(tolerance: number): void {
  setState({ tolerance, toleranceError: null, ...STALE_PRUNE_RESULTS, pruneTask: IDLE_TASK, verifyTask: IDLE_TASK });
}

export function setBatchSize(batchSize: number): void {
  if (Number.isInteger(batchSize) && batchSize >= 1) setState({ batchSize });
}

export function cancelRunning(): void {
  running?.abort();
}

export async function analyze(): Promise<void> {
  const { model, images } = getState();
  if (!model || images.length === 0 || running) return;
  const controller = new AbortController();
  running = controller;
  let accumulator: WorkerRAccumulator | null = null;
  setState({ ...STALE_RESULTS, resultsClearedReason: null, analysisTask: { phase: 'running', done: 0, total: images.length, message: 'Choosing a backend' } });
  try {
    const backend = getState().backend ?? (await chooseBackend());
    setState({ backend, analysisTask: { phase: 'running', done: 0, total: images.length, message: 'Computing feature maps' } });
    const options = runOptions(controller.signal, (done, total) =>
      setState({ analysisTask: { phase: 'running', done, total, message: 'Computing feature maps' } }),
    );
    const analysis = await analyzeModel(model.graph, images, (channels) => (accumulator = new WorkerRAccumulator(channels)), options);
    setState({ analysis, analysisTask: { ...IDLE_TASK, phase: 'done' } });
  } catch (error) {
    (accumulator as WorkerRAccumulator | null)?.terminate();
    setState({ analysisTask: failedTask(error, 'Analysis cancelled; nothing was changed.') });
  } finally {
    running = null;
  }
}

export async function prune(): Promise<void> {
  const { model, analysis, images, tolerance, toleranceError } = getState();
  if (!model || !analysis || running || toleranceError) return;
  const controller = new AbortController();
  running = controller;
  setState({ pruneTask: { phase: 'running', done: 0, total: images.length, message: 'Evaluating the pruned model' }, ...STALE_PRUNE_RESULTS });
  try {
    const options = runOptions(controller.signal, (done, total) =>
      setState({ pruneTask: { phase: 'running', done, total, message: 'Evaluating the pruned model' } }),
    );
    const labels = imageLabels().map((match) => match.classIndex);
    const outcome = await pruneAndEvaluate(model.graph, analysis, tolerance, images, labels, options);
    setState({ outcome, pruneTask: { ...IDLE_TASK, phase: 'done' } });
    if (outcome.removedFilters > 0) await writeExport();
  } catch (error) {
    setState({ pruneTask: failedTask(error, 'Pruning cancelled; the model is unchanged.') });
  } finally {
    running = null;
  }
}

/** Writes the pruned model in the chosen export layout; a failure is shown beside the downloads and keeps the results. */
async function writeExport(): Promise<void> {
  const { model, outcome, exportTargetId } = getState();
  if (!model || !outcome || outcome.removedFilters === 0) return;
  const format = formatById(model.format);
  const target = format.exportTargets.find((candidate) => candidate.id === exportTargetId) ?? format.exportTargets[0];
  setState({ exportFiles: null, exportTask: { phase: 'running', done: 0, total: 0, message: `Writing ${target.label}` } });
  try {
    const files = await format.export(model, outcome.graph, target.id);
    // A newer prune or another target may have started meanwhile; only the latest request's files are shown.
    if (getState().outcome === outcome && (getState().exportTargetId ?? format.exportTargets[0].id) === target.id) {
      setState({ exportFiles: files, exportTask: { ...IDLE_TASK, phase: 'done' } });
    }
  } catch (error) {
    setState({ exportTask: failedTask(error, '') });
  }
}

/** Chooses the layout of the downloaded model, e.g. `.keras` or TF.js files, and writes it. */
export async function chooseExportTarget(targetId: string): Promise<void> {
  setState({ exportTargetId: targetId, verification: null, verifyTask: IDLE_TASK });
  await writeExport();
}

/** Loads downloaded files back and compares their predictions with the original model's and the workbench's. */
export async function verifyDownload(picked: PickedFile[]): Promise<void> {
  const { model, analysis, outcome, images } = getState();
  if (!model || !analysis || !outcome || running) return;
  const controller = new AbortController();
  running = controller;
  setState({ verifyTask: { phase: 'running', done: 0, total: images.length, message: 'Loading the files' }, verification: null });
  try {
    const reloaded = await reloadDownload(picked, await Promise.all(picked.map(toInputFile)));
    try {
      const expectedShape = inputNode(model.graph).shape;
      if (JSON.stringify(reloaded.inputShape) !== JSON.stringify(expectedShape)) {
        throw new Error(
          `The picked files contain model '${reloaded.modelName}' with input [${reloaded.inputShape.join(', ')}], but the loaded model '${model.graph.name}' ` +
            `takes [${expectedShape.join(', ')}]: they are not a download of this model. Pick the files downloaded after pruning it.`,
        );
      }
      let predictions: Predictions;
      try {
        const options = runOptions(controller.signal, (done, total) =>
          setState({ verifyTask: { phase: 'running', done, total, message: `Running the model loaded with ${reloaded.loadedWith}` } }),
        );
        predictions = await reloaded.predict(images, options);
      } catch (error) {
        if (isAbort(error)) throw error;
        throw new Error(`The checked model does not fit the loaded model and images (${(error as Error).message}). Check the files downloaded for this model.`);
      }
      const originalLayers = model.graph.nodes.filter((node) => !model.graph.inputs.includes(node.name)).map((node) => node.name);
      const keptLayers = reloaded.layerNames.filter((name) => originalLayers.includes(name));
      setState({
        verification: {
          fileNames: picked.map(({ file }) => file.name),
          loadedWith: reloaded.loadedWith,
          modelName: reloaded.modelName,
          layerNamesMatch: JSON.stringify(keptLayers) === JSON.stringify(originalLayers),
          params: reloaded.params,
          versusOriginal: compareOutputs(analysis.original, predictions),
          versusWorkbench: compareOutputs(outcome.pruned, predictions),
        },
        verifyTask: { ...IDLE_TASK, phase: 'done' },
      });
    } finally {
      reloaded.dispose();
    }
  } catch (error) {
    setState({ verifyTask: failedTask(error, 'Check cancelled.') });
  } finally {
    running = null;
  }
}
