import { create } from 'zustand';
import type { PrunabilityReport } from '../core/analysis/prunableLayers';
import { DEFAULT_TOLERANCE } from '../core/analysis/tolerance';
import { DEFAULT_SCALING, type DecodedImage, type PixelScaling } from '../core/data/preprocessing';
import type { InputFile, OutputFile } from '../core/formats/inputFile';
import type { ImportedModel } from '../core/formats/modelFormat';
import type { OutputComparison } from '../core/metrics/compareOutputs';
import type { ModelAnalysis, PruneOutcome } from '../core/pipeline';
import type { BackendChoice } from './backendSelection';
import type { DemoModelEntry } from '../core/data/demoManifest';

export interface TaskState {
  phase: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  /** Units done and total (images, usually) while running. */
  done: number;
  total: number;
  /** Description of the running step, or the error or cancellation message. */
  message: string;
}

export const IDLE_TASK: TaskState = { phase: 'idle', done: 0, total: 0, message: '' };

export interface Verification {
  fileNames: string[];
  /** Name of the loader that read the files, e.g. "tf.loadLayersModel". */
  loadedWith: string;
  modelName: string;
  layerNamesMatch: boolean;
  params: number;
  /** Reloaded model vs the original model, on the sample images. */
  versusOriginal: OutputComparison;
  /** Reloaded model vs the workbench's own execution of the pruned graph. */
  versusWorkbench: OutputComparison;
}

export interface DemoState {
  entry: DemoModelEntry;
  /** Source of the sample images, e.g. the first 500 test images. */
  sampleSource: string;
  /** The other demo models the user can switch to. */
  others: DemoModelEntry[];
}

export interface WorkbenchState {
  /** The built-in demo while it is what the page shows; null once the user drops their own files. */
  demo: DemoState | null;
  demoStatus: TaskState;
  /** Count of user drops and picks; a demo load that started before one is discarded. */
  userFileDrops: number;
  /** Non-image files dropped so far; the model is imported from them once they are complete. */
  modelFiles: InputFile[];
  model: ImportedModel | null;
  prunability: PrunabilityReport | null;
  /** Reason the dropped files do not form a model yet (missing shard, parse error). */
  modelError: string | null;
  images: DecodedImage[];
  imageErrors: string[];
  classNamesText: string;
  scaling: PixelScaling;
  batchSize: number;
  backend: BackendChoice | null;
  analysisTask: TaskState;
  analysis: ModelAnalysis | null;
  tolerance: number;
  /** Message for tolerance text that is not a valid tolerance; pruning waits until it is fixed. */
  toleranceError: string | null;
  /** Files of the last drop that were ignored, with the reason (e.g. a Keras or ONNX file). */
  dropNotices: string[];
  /** Reason the last analysis was cleared, shown until the next one. */
  resultsClearedReason: string | null;
  pruneTask: TaskState;
  outcome: PruneOutcome | null;
  /** Export layout the user chose (an id from the format's exportTargets); null for the format the model came in. */
  exportTargetId: string | null;
  exportTask: TaskState;
  exportFiles: OutputFile[] | null;
  verifyTask: TaskState;
  verification: Verification | null;
}

export const useWorkbench = create<WorkbenchState>(() => ({
  demo: null,
  demoStatus: IDLE_TASK,
  userFileDrops: 0,
  modelFiles: [],
  model: null,
  prunability: null,
  modelError: null,
  images: [],
  imageErrors: [],
  classNamesText: '',
  scaling: DEFAULT_SCALING,
  batchSize: 16,
  backend: null,
  analysisTask: IDLE_TASK,
  analysis: null,
  tolerance: DEFAULT_TOLERANCE,
  toleranceError: null,
  dropNotices: [],
  resultsClearedReason: null,
  pruneTask: IDLE_TASK,
  outcome: null,
  exportTargetId: null,
  exportTask: IDLE_TASK,
  exportFiles: null,
  verifyTask: IDLE_TASK,
  verification: null,
}));

/** State to reset when the model, images or preprocessing change: every result computed from them. */
export const STALE_RESULTS: Partial<WorkbenchState> = {
  analysisTask: IDLE_TASK,
  analysis: null,
  pruneTask: IDLE_TASK,
  outcome: null,
  exportTask: IDLE_TASK,
  exportFiles: null,
  verifyTask: IDLE_TASK,
  verification: null,
};
