import type { ModelGraph } from '../graph/types';
import type { InputFile, OutputFile } from './inputFile';

export type FormatId = 'tfjs-layers' | 'keras-h5' | 'keras-v3' | 'onnx';

/** A file layout the pruned model can be written in, e.g. `.keras` or TF.js files. */
export interface ExportTarget {
  id: string;
  /** Label of the export choice, e.g. "Keras 3 (.keras)". */
  label: string;
  /** Instructions for loading the written files, shown next to the download. */
  howToLoad: string;
}

/** A model read from the user's files: the graph plus what the exporter needs to write it back. */
export interface ImportedModel {
  format: FormatId;
  /** Name of the main file the model came from, for messages. */
  sourceName: string;
  graph: ModelGraph;
  /** The user's own document (parsed), kept so the export changes only what pruning changes. */
  document: unknown;
  /** Facts the user should know about the import or a later export (e.g. dequantized weights). */
  notes: string[];
  /** Export targets this model cannot be written as (target id to the reason), e.g. TF.js for a nested Keras 3 model. */
  unavailableExports?: Record<string, string>;
}

/** One model format: recognises its files, imports them, and writes an edited graph back. */
export interface ModelFormat {
  id: FormatId;
  /** Human-readable name, e.g. "TF.js LayersModel". */
  label: string;
  /** True when these files hold a model of this format (judged by content, not only names). */
  recognize(files: InputFile[]): boolean;
  import(files: InputFile[]): ImportedModel;
  /** Layouts the pruned model can be written in; the first is the format the model came in. */
  exportTargets: ExportTarget[];
  /** Writes `graph` (the pruned version of `model.graph`) as `targetId` (default: the first export target). */
  export(model: ImportedModel, graph: ModelGraph, targetId?: string): Promise<OutputFile[]>;
}
