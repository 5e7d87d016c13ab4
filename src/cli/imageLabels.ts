import { existsSync, readFileSync } from 'node:fs';
import { labelFromPath, matchLabel, parseClassNames } from '../core/data/labels';
import type { DecodedImage } from '../core/data/preprocessing';
import { UsageError } from './usageError';

/** A label read from image paths that maps to no single class, with how many images carry it. */
export interface LabelProblem {
  /** Null when the path yields no label at all. */
  label: string | null;
  how: 'unmatched' | 'ambiguous' | 'no label';
  /** For ambiguous labels: the classes whose names contain the label or are contained in it. */
  candidates: string[];
  images: number;
  exampleImage: string;
}

export interface ImageLabels {
  /** Class index per image, null where the image has no usable label. */
  labels: (number | null)[];
  classNames: string[];
  matched: number;
  problems: LabelProblem[];
}

export function readClassNames(path: string): string[] {
  if (!existsSync(path)) throw new UsageError(`Class list '${path}' given with --classes does not exist.`);
  const names = parseClassNames(readFileSync(path, 'utf-8'));
  if (names.length === 0) throw new Error(`Class list '${path}' has no class names; write one class name per line, in model output order.`);
  return names;
}

function recordProblem(problems: Map<string, LabelProblem>, problem: Omit<LabelProblem, 'images'>): void {
  const key = `${problem.how}:${problem.label}`;
  const existing = problems.get(key);
  if (existing) existing.images++;
  else problems.set(key, { ...problem, images: 1 });
}

/** Labels each image from its path (labelFromPath) and matches the label to a class name (matchLabel). */
export function labelImages(images: DecodedImage[], classNames: string[]): ImageLabels {
  const problems = new Map<string, LabelProblem>();
  const labels = images.map((image) => {
    const label = labelFromPath(image.path);
    if (label === null) {
      recordProblem(problems, { label: null, how: 'no label', candidates: [], exampleImage: image.path });
      return null;
    }
    const match = matchLabel(label, classNames);
    if (match.classIndex !== null) return match.classIndex;
    recordProblem(problems, { label, how: match.how, candidates: match.candidates, exampleImage: image.path });
    return null;
  });
  const matched = labels.filter((label) => label !== null).length;
  return { labels, classNames, matched, problems: [...problems.values()] };
}

/** Labels for a run without --classes: every image unlabelled, so prune reports top-1 agreement. */
export function noLabels(images: DecodedImage[]): ImageLabels {
  return { labels: images.map(() => null), classNames: [], matched: 0, problems: [] };
}
