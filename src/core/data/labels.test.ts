import { describe, expect, it } from 'vitest';
import { labelFromPath, matchLabel } from './labels';

describe('labelFromPath', () => {
  it.each([
    ['img/koala_2.jpeg', 'koala'],
    ['test/airplane/0000.jpg', 'airplane'],
    ['mnist/7_0003.png', '7'],
    ['mnist/0-12.png', '0'],
    ['cat/2019_001.jpg', 'cat'],
    ['0001.png', null],
  ])('reads %s as %s', (path, label) => {
    expect(labelFromPath(path)).toBe(label);
  });

  it('matches a class number label by index', () => {
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    expect(matchLabel(labelFromPath('mnist/7_0003.png')!, digits)).toMatchObject({ classIndex: 7, how: 'index' });
  });
});
