import { kerasH5Format } from './keras/kerasH5Format';
import type { InputFile } from './inputFile';
import type { ModelFormat } from './modelFormat';
import { tfjsLayersFormat } from './tfjs/tfjsLayersFormat';

/** Every format the workbench reads; the first that recognises the files imports them. */
export const MODEL_FORMATS: ModelFormat[] = [tfjsLayersFormat, kerasH5Format];

export function detectFormat(files: InputFile[]): ModelFormat | null {
  return MODEL_FORMATS.find((format) => format.recognize(files)) ?? null;
}

export function formatById(id: ModelFormat['id']): ModelFormat {
  const format = MODEL_FORMATS.find((candidate) => candidate.id === id);
  if (!format) throw new Error(`No model format with id '${id}'.`);
  return format;
}

/** True for the file that defines a model (a JSON document or an HDF5 file), as opposed to a weight shard. */
export function isModelDocument(file: InputFile): boolean {
  return file.name.toLowerCase().endsWith('.json') || kerasH5Format.recognize([file]);
}
