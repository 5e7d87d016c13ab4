import type { ModelGraph } from '../../graph/types';
import { stripExtension, type InputFile, type OutputFile } from '../inputFile';
import type { ImportedModel, ModelFormat } from '../modelFormat';
import type { OnnxDocument } from './onnxDocument';
import { onnx, type OnnxTypes } from './onnxSchema';
import { OnnxGraphImporter } from './onnxToGraph';
import { writeOnnxModel } from './writeOnnxModel';

function isOnnxName(file: InputFile): boolean {
  return file.name.toLowerCase().endsWith('.onnx');
}

/** Decodes a ModelProto, or explains why these bytes are not a whole ONNX model. */
function decodeModel(file: InputFile): OnnxTypes.ModelProto {
  if (file.bytes.length === 0) throw new Error(`'${file.path}' is empty (0 bytes); drop the complete .onnx file.`);
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(file.bytes);
  } catch (error) {
    throw new Error(`'${file.path}' is not a complete ONNX model: ${(error as Error).message}; the file may be truncated.`);
  }
  if ((model.graph?.node?.length ?? 0) === 0) {
    throw new Error(`'${file.path}' decodes as protobuf but contains no ONNX graph with nodes, so it is not an ONNX model (or the model is empty).`);
  }
  return model;
}

/** Results of holdsModel by file content, because one drop asks about the same bytes several times. */
const decodesAsModel = new WeakMap<Uint8Array, boolean>();

function holdsModel(file: InputFile): boolean {
  const known = decodesAsModel.get(file.bytes);
  if (known !== undefined) return known;
  let result = false;
  try {
    const model = onnx.ModelProto.decode(file.bytes);
    const nodes = model.graph?.node ?? [];
    result = nodes.length > 0 && nodes.every((node) => (node.opType ?? '').length > 0);
  } catch {
    result = false;
  }
  decodesAsModel.set(file.bytes, result);
  return result;
}

/** Picks the file to import: the first one that decodes as ONNX, else the first `.onnx` file (whose decoding error is then reported). */
function findModelFile(files: InputFile[]): InputFile {
  const found = files.find(holdsModel) ?? files.find(isOnnxName);
  if (!found) throw new Error('No ONNX model (.onnx) was found among the given files.');
  return found;
}

function importOnnx(files: InputFile[]): ImportedModel {
  const file = findModelFile(files);
  const model = decodeModel(file);
  const { graph, initializers, tensors, reshapeShapes } = new OnnxGraphImporter(model, file.name).run();
  const document: OnnxDocument = { fileName: file.name, bytes: file.bytes, initializers, tensors, reshapeShapes };
  const notes = ['The ONNX model reads NCHW tensors; the workbench runs it channels-last (NHWC) and converts the weights on import and export.'];
  if (!isOnnxName(file)) notes.push(`'${file.name}' holds an ONNX model; the pruned model is written as '${stripExtension(file.name)}.onnx'.`);
  return { format: 'onnx', sourceName: file.name, graph, document, notes };
}

async function exportOnnx(model: ImportedModel, graph: ModelGraph): Promise<OutputFile[]> {
  const document = model.document as OnnxDocument;
  const bytes = writeOnnxModel(document, model.graph, graph);
  // A model read by content from a file named otherwise is written with the extension ONNX tools expect.
  return [{ name: `${stripExtension(document.fileName)}.onnx`, bytes, mimeType: 'application/octet-stream' }];
}

export const onnxFormat: ModelFormat = {
  id: 'onnx',
  label: 'ONNX',
  // A file named .onnx counts even when it does not decode, so that import reports the reason.
  recognize: (files) => files.some(holdsModel) || files.some(isOnnxName),
  import: importOnnx,
  exportTargets: [
    {
      id: 'onnx',
      label: 'ONNX (.onnx)',
      howToLoad: 'Load it as before, e.g. onnxruntime.InferenceSession.create(path); node names, inputs, outputs and metadata are unchanged.',
    },
  ],
  export: exportOnnx,
};
