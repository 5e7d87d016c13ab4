/** One measured comparison: the same work done two ways, side by side in one run. */
export interface BenchRow {
  measurement: string;
  first: string;
  second: string;
  /** second / first for costs (how many times cheaper the first is), first / second for rates. */
  ratio: number;
  /** A correctness check that the two ways agree, printed beside the ratio. */
  check: string;
}

export const HEADER: BenchRow = { measurement: 'measurement', first: 'A', second: 'B', ratio: NaN, check: 'check' };

function formatRatio(ratio: number): string {
  if (Number.isNaN(ratio)) return 'ratio';
  return ratio >= 10 ? `${Math.round(ratio)}x` : `${ratio.toFixed(2)}x`;
}

/** Renders rows as a Markdown table, so the output can be pasted into bench/README.md as it is. */
export function formatBenchTable(rows: BenchRow[]): string {
  const cells = [HEADER, ...rows].map((row) => [row.measurement, row.first, row.second, formatRatio(row.ratio), row.check]);
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row: string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(cells[0]), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
}

/** Returns the fastest of `repeats` runs in seconds; the first run also warms up the JIT. */
export async function bestTime(repeats: number, work: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await work();
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}
