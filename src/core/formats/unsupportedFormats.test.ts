import { describe, expect, it } from 'vitest';
import { describeUnsupportedModelFile } from './unsupportedFormats';

const bytes = (...values: number[]) => new Uint8Array(values);
const file = (name: string, content: Uint8Array) => ({ name, path: name, bytes: content });

describe('describeUnsupportedModelFile', () => {
  it('names PyTorch, TensorFlow Lite, SavedModel and safetensors files with the conversion to use', () => {
    expect(describeUnsupportedModelFile(file('net.pth', bytes(0x50, 0x4b, 3, 4)))).toMatch(/PyTorch.*torch\.onnx\.export/);
    expect(describeUnsupportedModelFile(file('model.tflite', bytes(0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33)))).toMatch(/TensorFlow Lite/);
    expect(describeUnsupportedModelFile(file('saved_model.pb', bytes(8, 1)))).toMatch(/SavedModel/);
    expect(describeUnsupportedModelFile(file('model.safetensors', bytes(8, 0)))).toMatch(/weights only/);
  });

  it('leaves the formats the workbench reads and weight shards alone', () => {
    for (const name of ['model.keras', 'model.onnx', 'model.h5', 'group1-shard1of1', 'model.json']) {
      expect(describeUnsupportedModelFile(file(name, bytes(1, 2, 3, 4, 5, 6, 7, 8)))).toBeNull();
    }
  });
});
