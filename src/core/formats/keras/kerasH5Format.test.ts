import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REALMODELS_DIR } from '../../../node/files';
import { kerasH5Format } from './kerasH5Format';

const modelPath = join(REALMODELS_DIR, 'mlcommons-resnet8', 'pretrainedResnet.h5');
const available = existsSync(modelPath);
if (!available) console.warn(`SKIPPED Keras HDF5 import tests: ${modelPath} not found (set LINDEPS_REALMODELS).`);

const file = (bytes: Uint8Array) => ({ name: 'model.h5', path: 'model.h5', bytes });

describe.skipIf(!available)('Keras HDF5 import', () => {
  const full = () => new Uint8Array(readFileSync(modelPath));

  it('reads the config and NUL-padded weight names', () => {
    const model = kerasH5Format.import([file(full())]);
    expect(model.graph.name).toBe('model');
    const conv = model.graph.nodes.find((node) => node.name === 'conv2d');
    expect(conv?.op).toBe('Conv2D');
    expect(conv?.op === 'Conv2D' ? conv.bias?.sourceName : null).toBe('conv2d/bias:0');
  });

  it('names a truncated file', () => {
    expect(() => kerasH5Format.import([file(full().subarray(0, 3000))])).toThrow(/could not be read as HDF5.*truncated/);
    expect(() => kerasH5Format.import([file(full().subarray(0, 250000))])).toThrow(/weights in 'model.h5' could not be read.*truncated/);
  });

  it('recognizes HDF5 by content, not by name', () => {
    expect(kerasH5Format.recognize([{ name: 'weights.bin', path: 'weights.bin', bytes: full().subarray(0, 16) }])).toBe(true);
    expect(kerasH5Format.recognize([{ name: 'model.h5', path: 'model.h5', bytes: new Uint8Array(16) }])).toBe(false);
  });
});
