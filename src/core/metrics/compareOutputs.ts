import type { Predictions } from './predict';

/** Index of the largest value of each row. */
export function top1(predictions: Predictions): number[] {
  const { values, outputSize } = predictions;
  const classes: number[] = [];
  for (let row = 0; row * outputSize < values.length; row++) {
    let best = 0;
    for (let k = 1; k < outputSize; k++) {
      if (values[row * outputSize + k] > values[row * outputSize + best]) best = k;
    }
    classes.push(best);
  }
  return classes;
}

export interface Accuracy {
  correct: number;
  /** Images that have a label; unlabelled ones do not count. */
  labelled: number;
}

export function top1Accuracy(predictions: Predictions, labels: (number | null)[]): Accuracy {
  const predicted = top1(predictions);
  let correct = 0;
  let labelled = 0;
  labels.forEach((label, i) => {
    if (label === null) return;
    labelled++;
    if (predicted[i] === label) correct++;
  });
  return { correct, labelled };
}

export interface OutputComparison {
  /** Images whose top-1 class is the same in both. */
  top1Agreement: number;
  images: number;
  maxAbsDifference: number;
}

export function compareOutputs(original: Predictions, pruned: Predictions): OutputComparison {
  if (original.values.length !== pruned.values.length) {
    throw new Error(`Outputs differ in size: ${original.values.length} values before pruning, ${pruned.values.length} after.`);
  }
  let maxAbsDifference = 0;
  for (let i = 0; i < original.values.length; i++) {
    maxAbsDifference = Math.max(maxAbsDifference, Math.abs(original.values[i] - pruned.values[i]));
  }
  const before = top1(original);
  const after = top1(pruned);
  const top1Agreement = before.filter((value, i) => value === after[i]).length;
  return { top1Agreement, images: before.length, maxAbsDifference };
}
