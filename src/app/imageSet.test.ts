import { describe, expect, it } from 'vitest';
import { countRepeatedPictures, mergeImages } from './imageSet';

const image = (path: string, value: number) => ({ path, width: 1, height: 1, rgba: Uint8Array.from([value, value, value, 255]) });

describe('mergeImages', () => {
  it('replaces the same picture in place and appends new ones', () => {
    const merged = mergeImages([image('0000.jpg', 10), image('0001.jpg', 20)], [image('cat/0000.jpg', 10), image('cat/0002.jpg', 30)]);
    expect(merged.map((entry) => entry.path)).toEqual(['cat/0000.jpg', '0001.jpg', 'cat/0002.jpg']);
  });

  it('keeps different pictures with the same name', () => {
    expect(mergeImages([image('a/1.jpg', 1)], [image('b/1.jpg', 2)])).toHaveLength(2);
  });
});

describe('countRepeatedPictures', () => {
  it('counts later copies of the same pixels', () => {
    expect(countRepeatedPictures([image('a.png', 1), image('b.png', 1), image('c.png', 2), image('d.png', 1)])).toBe(2);
  });
});
