import { kerasH5Format } from './keras/kerasH5Format';
import { kerasV3Format } from './keras/kerasV3Format';
import type { InputFile } from './inputFile';
import type { ModelFormat } from './modelFormat';
import { onnxFormat } from './onnx/onnxFormat';
import { tfjsLayersFormat } from './tfjs/tfjsLayersFormat';

/** Every format the workbench reads; the first that recognises the files imports them. */
export const MODEL_FORMATS: ModelFormat[] = [tfjsLayersFormat, kerasV3Format, kerasH5Format, onnxFormat];

export function detectFormat(files: InputFile[]): ModelFormat | null {
  return MODEL_FORMATS.find((format) => format.recognize(files)) ?? null;
}

export function formatById(id: ModelFormat['id']): ModelFormat {
  const format = MODEL_FORMATS.find((candidate) => candidate.id === id);
  if (!format) throw new Error(`No model format with id '${id}'.`);
  return format;
}

/**
 * Returns true for a file that defines a model (a JSON document, or a Keras or ONNX file that contains
 * its own weights), as opposed to a weight shard.
 */
export function isModelDocument(file: InputFile): boolean {
  return file.name.toLowerCase().endsWith('.json') || [kerasV3Format, kerasH5Format, onnxFormat].some((format) => format.recognize([file]));
}

/** File name endings of the single-file model formats, for files whose content turns out to be something else. */
const MODEL_FILE_EXTENSIONS = /\.(keras|h5|hdf5|onnx)$/i;

/**
 * Names a file that is called like a model (`.keras`, `.h5`, `.onnx`) but whose content no format
 * recognises, so it is not mistaken for a weight shard. Returns null for any other file.
 */
export function describeUnrecognizedModelFile(file: InputFile): string | null {
  if (!MODEL_FILE_EXTENSIONS.test(file.name) || isModelDocument(file)) return null;
  if (file.bytes.length === 0) return `'${file.name}' is empty (0 bytes); it was ignored.`;
  return `'${file.name}' is named like a model file, but its content is not a Keras archive, an HDF5 file or an ONNX model; it was ignored. The file may be damaged or not a model.`;
}
