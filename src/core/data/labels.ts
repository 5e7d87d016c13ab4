import { baseName, stripExtension } from '../formats/inputFile';

/**
 * Reads an image's label from its path: the file name prefix before a trailing
 * number (`koala_2.jpeg` -> `koala`), a class number of one to three digits before
 * a separator and a number (`7_0003.png` -> `7`), else the parent folder
 * (`test/airplane/0000.jpg` -> `airplane`), else null.
 */
export function labelFromPath(path: string): string | null {
  const stem = stripExtension(baseName(path));
  const prefix = /^(.*?[^\d_\-\s.])[\s_\-.]*\d+$/.exec(stem);
  if (prefix) return prefix[1];
  // Longer numbers before the separator are more often dates or ids (2019_001.jpg) than class numbers.
  const classNumber = /^(0|[1-9]\d{0,2})[_\-\s.]+\d+$/.exec(stem);
  if (classNumber) return classNumber[1];
  const folders = path.split(/[\\/]/).slice(0, -1);
  return folders.length > 0 ? folders[folders.length - 1] : null;
}

/** Splits a pasted or dropped class list: one name per line, blank lines and `#` comments ignored. */
export function parseClassNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

export type LabelMatch =
  | { label: string; classIndex: number; how: 'exact' | 'index' | 'partial' }
  | { label: string; classIndex: null; how: 'unmatched' | 'ambiguous'; candidates: string[] };

/**
 * Maps a label to a class index: an exact (case-insensitive) name, then a class
 * number, then the only class whose name contains the label or is contained in it
 * (`boat` -> `lifeboat`). Ambiguous and unknown labels stay unmatched.
 */
export function matchLabel(label: string, classNames: string[]): LabelMatch {
  const normalizedLabel = normalize(label);
  const normalized = classNames.map(normalize);
  const exact = normalized.indexOf(normalizedLabel);
  if (exact >= 0) return { label, classIndex: exact, how: 'exact' };
  if (/^\d+$/.test(normalizedLabel) && Number(normalizedLabel) < classNames.length) {
    return { label, classIndex: Number(normalizedLabel), how: 'index' };
  }
  const partial = normalized.flatMap((name, index) =>
    normalizedLabel.length > 0 && (name.includes(normalizedLabel) || normalizedLabel.includes(name)) ? [index] : [],
  );
  if (partial.length === 1) return { label, classIndex: partial[0], how: 'partial' };
  return {
    label,
    classIndex: null,
    how: partial.length > 1 ? 'ambiguous' : 'unmatched',
    candidates: partial.map((index) => classNames[index]),
  };
}
