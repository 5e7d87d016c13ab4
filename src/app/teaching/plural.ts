/** Formats a count with its noun, e.g. "1 filter" or "3 filters". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
