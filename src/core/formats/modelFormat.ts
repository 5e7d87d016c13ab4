import type { ModelGraph } from '../graph/types';
import type { InputFile, OutputFile } from './inputFile';

export type FormatId = 'tfjs-layers' | 'keras-h5';

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
}

/** One model format: recognises its files, imports them, and writes an edited graph back. */
export interface ModelFormat {
  id: FormatId;
  /** Human-readable name, e.g. "TF.js LayersModel". */
  label: string;
  /** True when these files hold a model of this format (judged by content, not only names). */
  recognize(files: InputFile[]): boolean;
  import(files: InputFile[]): ImportedModel;
  /** Writes `graph` (the pruned version of `model.graph`) in this format. */
  export(model: ImportedModel, graph: ModelGraph): OutputFile[];
}
