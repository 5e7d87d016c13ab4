import type { InputFile } from './inputFile';

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/**
 * Names a model file this version cannot read yet (Keras 3 zip, ONNX),
 * judged by content where the format has a signature. The message states what
 * the file is, which helps more than a report that model.json is missing.
 */
export function describeUnsupportedModelFile(file: InputFile): string | null {
  if (startsWith(file.bytes, ZIP_SIGNATURE) && /\.keras$/i.test(file.name)) {
    return `'${file.name}' is a Keras 3 .keras archive. This version reads TF.js LayersModel and Keras HDF5 (.h5) files; save the model as .h5 or convert it with tensorflowjs_converter.`;
  }
  if (/\.onnx$/i.test(file.name)) {
    return `'${file.name}' is an ONNX model. This version reads TF.js LayersModel and Keras HDF5 (.h5) files only.`;
  }
  return null;
}
