/** Lays out rows as space-separated columns; the first column is left-aligned, the others right-aligned. */
export function formatTable(rows: string[][], indent: string): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => indent + row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
}
