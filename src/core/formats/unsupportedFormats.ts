import type { InputFile } from './inputFile';

/**
 * Names a model file of a format the workbench does not read (PyTorch, TensorFlow Lite,
 * TensorFlow SavedModel, safetensors) and the conversion that makes it readable. Returns null
 * for any other file. Saying this at the drop helps more than a later report that no model was found.
 */
export function describeUnsupportedModelFile(file: InputFile): string | null {
  const name = file.name.toLowerCase();
  if (/\.(pt|pth|ckpt)$/.test(name)) {
    return `'${file.name}' is a PyTorch checkpoint, which holds Python objects the browser cannot run. Export the model with torch.onnx.export and drop the .onnx file.`;
  }
  // Judged by name only: content checks would also match weight shards, whose bytes are arbitrary.
  if (name.endsWith('.tflite')) {
    return `'${file.name}' is a TensorFlow Lite model, which this workbench does not read. Drop the Keras model it was converted from (.keras or .h5) instead.`;
  }
  if (name === 'saved_model.pb' || name === 'saved_model.pbtxt') {
    return `'${file.name}' belongs to a TensorFlow SavedModel. Load it in Keras and save it with model.save("model.keras"), or convert it to ONNX with tf2onnx.`;
  }
  if (name.endsWith('.safetensors')) {
    return `'${file.name}' holds weights only (safetensors), without the architecture. Export the model to ONNX with torch.onnx.export.`;
  }
  return null;
}
