/** Diverging colour scale shared by every picture in the teaching view: white is 0, red positive, blue negative. */
const POSITIVE: [number, number, number] = [178, 24, 43];
const NEGATIVE: [number, number, number] = [33, 102, 172];

/** Returns the RGB colour of `value` on a scale whose ends are -scale and +scale (clamped beyond). */
export function signedColor(value: number, scale: number): [number, number, number] {
  const strength = scale > 0 ? Math.min(1, Math.abs(value) / scale) : 0;
  const end = value >= 0 ? POSITIVE : NEGATIVE;
  return [0, 1, 2].map((i) => Math.round(255 + (end[i] - 255) * strength)) as [number, number, number];
}

export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let max = 0;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  }
  return max;
}

/** Fills RGBA pixels for a row-major map. */
export function heatmapPixels(values: ArrayLike<number>, scale: number): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const [red, green, blue] = signedColor(values[i], scale);
    pixels.set([red, green, blue, 255], i * 4);
  }
  return pixels;
}

export const POSITIVE_CSS = `rgb(${POSITIVE.join(', ')})`;
export const NEGATIVE_CSS = `rgb(${NEGATIVE.join(', ')})`;
