/** Number formatting shared by the panels. */

export function formatInteger(value: number): string {
  return value.toLocaleString('en-US');
}

/** Short scientific or fixed notation, e.g. 0.0086 or 5.8e-3. */
export function formatSmall(value: number, digits = 2): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1000) return value.toPrecision(digits);
  return value.toExponential(Math.max(0, digits - 1));
}

export function formatPercentChange(before: number, after: number): string {
  if (before === 0) return '';
  const change = ((after - before) / before) * 100;
  return `${change > 0 ? '+' : ''}${change.toFixed(1)}%`;
}

/** Tolerance in short scientific notation with up to 3 significant digits: 1e-5, 8.59e-3. */
export function formatTolerance(value: number): string {
  if (value === 0) return '0';
  return Number(value.toPrecision(3)).toExponential().replace('e+', 'e');
}
