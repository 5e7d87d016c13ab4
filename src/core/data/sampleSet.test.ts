import { describe, expect, it } from 'vitest';
import { labelFromPath, matchLabel } from './labels';
import { decodeSampleSet, parseSampleSetDescription } from './sampleSet';

const description = {
  format: 'lindeps-sample-set',
  version: 1,
  source: 'test',
  width: 2,
  height: 1,
  channels: 1,
  count: 2,
  classNames: ['T-shirt/top', 'Shirt'],
  labels: [1, 0],
  pixels: 'sample.u8',
};

describe('sample sets', () => {
  it('expands gray pixels to RGBA', () => {
    const set = decodeSampleSet(parseSampleSetDescription(description, 'sample.json'), Uint8Array.from([10, 20, 30, 40]));
    expect(Array.from(set.images[1].rgba)).toEqual([30, 30, 30, 255, 40, 40, 40, 255]);
    expect(set.images[0].width).toBe(2);
  });

  it('keeps labels readable from the paths', () => {
    const set = decodeSampleSet(parseSampleSetDescription(description, 'sample.json'), new Uint8Array(4));
    const classes = set.images.map((image) => matchLabel(labelFromPath(image.path)!, set.classNames).classIndex);
    expect(classes).toEqual([1, 0]);
  });

  it('rejects pixels of the wrong size', () => {
    expect(() => decodeSampleSet(parseSampleSetDescription(description, 'sample.json'), new Uint8Array(3))).toThrow(/have 3 bytes; expected 2 x 2 x 1 x 1 = 4/);
  });

  it('rejects labels outside the class list', () => {
    expect(() => parseSampleSetDescription({ ...description, labels: [0, 2] }, 'sample.json')).toThrow(/each a class index below 2/);
  });
});
