import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE } from '../core/analysis/tolerance';
import { DEFAULT_BACKEND, DEFAULT_BATCH_SIZE, parseCommandLine, parseScaling } from './cliOptions';
import { UsageError } from './usageError';

describe('parseCommandLine', () => {
  it('applies the documented defaults', () => {
    const command = parseCommandLine(['analyze', '--model', 'm.json', '--images', 'img']);
    expect(command).toEqual({
      kind: 'analyze',
      options: {
        modelPath: 'm.json',
        weightPaths: null,
        imagePaths: ['img'],
        classesPath: null,
        scaling: { kind: 'unit' },
        tolerance: DEFAULT_TOLERANCE,
        batchSize: DEFAULT_BATCH_SIZE,
        backend: DEFAULT_BACKEND,
        json: false,
      },
    });
  });

  it('reads multi-value and inline options', () => {
    const command = parseCommandLine(['prune', '--images', 'a.png', 'b.jpg', '--model=m.json', '--weights', 's1', 's2', '--tolerance=1e-3', '--out', 'o', '--force']);
    expect(command.kind).toBe('prune');
    if (command.kind !== 'prune') return;
    expect(command.options).toMatchObject({ imagePaths: ['a.png', 'b.jpg'], weightPaths: ['s1', 's2'], modelPath: 'm.json', tolerance: 1e-3, outDir: 'o', force: true });
  });

  it.each([
    [['analyze', '--model', 'a.json', 'b.json', '--images', 'img'], "'--model' takes one value, got 2"],
    [['analyze', '--model', 'm.json', '--model', 'n.json', '--images', 'img'], "'--model' is given twice"],
    [['analyze', '--json=yes', '--model', 'm.json', '--images', 'img'], "'--json' takes no value"],
    [['analyze', '--model', 'm.json', '--images'], "'--images' needs a value"],
    [['analyze', '--model', 'm.json', '--images', 'img', '--backend', 'webgl'], "--backend must be 'wasm' or 'cpu', got 'webgl'"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

describe('parseScaling', () => {
  it('reads mean and std per channel or for all channels', () => {
    expect(parseScaling('meanstd:0.485,0.456,0.406:0.229,0.224,0.225')).toEqual({ kind: 'meanStd', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expect(parseScaling('meanstd:0.5:0.5')).toEqual({ kind: 'meanStd', mean: [0.5], std: [0.5] });
    expect(parseScaling('symmetric')).toEqual({ kind: 'symmetric' });
  });

  it.each(['meanstd:0.5,,0.5:1', 'meanstd:0.5:0', 'meanstd:0.5', 'zscore'])('rejects %s', (text) => {
    expect(() => parseScaling(text)).toThrow(UsageError);
  });
});
