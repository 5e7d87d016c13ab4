import type { InputFile } from './inputFile';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/**
 * Names a model file this version cannot read yet (Keras HDF5 or zip, ONNX),
 * judged by content where the format has a signature. The message states what
 * the file is, which helps more than a report that model.json is missing.
 */
export function describeUnsupportedModelFile(file: InputFile): string | null {
  if (startsWith(file.bytes, HDF5_SIGNATURE)) {
    return `'${file.name}' is a Keras HDF5 file. This version reads TF.js LayersModel files only; convert it with tensorflowjs_converter --input_format keras.`;
  }
  if (startsWith(file.bytes, ZIP_SIGNATURE) && /\.keras$/i.test(file.name)) {
    return `'${file.name}' is a Keras 3 .keras archive. This version reads TF.js LayersModel files only; convert it with tensorflowjs_converter.`;
  }
  if (/\.onnx$/i.test(file.name)) {
    return `'${file.name}' is an ONNX model. This version reads TF.js LayersModel files only.`;
  }
  return null;
}
