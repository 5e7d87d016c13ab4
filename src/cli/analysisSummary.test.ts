import { describe, expect, it } from 'vitest';
import { imagesNeeded } from './analysisSummary';

describe('imagesNeeded', () => {
  it('asks for more images when rows are fewer than channels', () => {
    // A 512-channel tap after global max pooling gets one row per image.
    expect(imagesNeeded(512, 20, 20)).toBe(512);
    expect(imagesNeeded(64, 49, 1)).toBe(2);
  });

  it('is null once rows cover the channels', () => {
    expect(imagesNeeded(10, 10, 1)).toBeNull();
    expect(imagesNeeded(10, 18_000, 20)).toBeNull();
  });
});
