import { describe, expect, it } from 'vitest';
import { describeUnrecognizedModelFile, detectFormat } from './registry';

const file = (name: string, bytes: number[]) => ({ name, path: name, bytes: new Uint8Array(bytes) });

describe('describeUnrecognizedModelFile', () => {
  it('names a damaged file called like a model', () => {
    expect(describeUnrecognizedModelFile(file('random.keras', [1, 2, 3, 4]))).toMatch(/'random\.keras' is named like a model file/);
    expect(describeUnrecognizedModelFile(file('model.h5', [0x50, 0x4b, 0x05, 0x06]))).toMatch(/not a Keras archive, an HDF5 file or an ONNX model/);
  });

  it('names an empty file', () => {
    expect(describeUnrecognizedModelFile(file('model.keras', []))).toBe("'model.keras' is empty (0 bytes); it was ignored.");
  });

  it('leaves shards and recognised models alone', () => {
    expect(describeUnrecognizedModelFile(file('group1-shard1of1.bin', [1, 2, 3]))).toBeNull();
    const hdf5 = file('weights.h5', [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(detectFormat([hdf5])?.id).toBe('keras-h5');
    expect(describeUnrecognizedModelFile(hdf5)).toBeNull();
  });
});
