/** Formats a count with thousands separators: 11217560 -> 11,217,560. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Formats a ratio or error with 3 significant digits, in exponent form below 1e-3. */
export function formatRatio(value: number): string {
  if (value === 0) return '0';
  return Math.abs(value) < 1e-3 ? value.toExponential(2) : value.toPrecision(3);
}

/** Rounds a positive value up at 3 significant digits, so a printed threshold is never below the true one. */
export function formatRatioRoundedUp(value: number): string {
  if (!(value > 0)) return formatRatio(value);
  const step = 10 ** (Math.floor(Math.log10(value)) - 2);
  return formatRatio(Math.ceil(value / step) * step);
}

export function formatPercentChange(before: number, after: number): string {
  if (before === 0) return 'n/a';
  const change = ((after - before) / before) * 100;
  return `${change > 0 ? '+' : ''}${change.toFixed(2)} %`;
}

/** Formats a tolerance as the user would type it: 1e-5, 0.01. */
export function formatTolerance(value: number): string {
  return value !== 0 && value < 1e-3 ? value.toExponential() : String(value);
}
