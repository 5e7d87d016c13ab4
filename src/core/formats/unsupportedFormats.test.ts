import { describe, expect, it } from 'vitest';
import { describeUnsupportedModelFile } from './unsupportedFormats';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('unsupported model files', () => {
  it('recognizes .keras archives and ONNX files', () => {
    expect(describeUnsupportedModelFile({ name: 'm.keras', path: 'm.keras', bytes: bytes(0x50, 0x4b, 0x03, 0x04) })).toMatch(/Keras 3/);
    expect(describeUnsupportedModelFile({ name: 'm.onnx', path: 'm.onnx', bytes: bytes(8, 1) })).toMatch(/ONNX/);
  });

  it('leaves other files alone', () => {
    expect(describeUnsupportedModelFile({ name: 'shard1', path: 'shard1', bytes: bytes(1, 2, 3, 4) })).toBeNull();
  });
});
