/**
 * Weight layout conversions between ONNX and the workbench graph, both
 * directions side by side so each pair can be checked as inverses.
 */

/** Reorders ONNX conv weights [O, I, kh, kw] to the graph's [kh, kw, I, O]. */
export function oihwToHwio(values: Float32Array, [outChannels, inChannels, height, width]: number[]): Float32Array {
  const result = new Float32Array(values.length);
  for (let o = 0; o < outChannels; o++)
    for (let i = 0; i < inChannels; i++)
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) result[((y * width + x) * inChannels + i) * outChannels + o] = values[((o * inChannels + i) * height + y) * width + x];
  return result;
}

/** Reorders graph conv weights [kh, kw, I, O] to ONNX [O, I, kh, kw]. */
export function hwioToOihw(values: Float32Array, [height, width, inChannels, outChannels]: number[]): Float32Array {
  const result = new Float32Array(values.length);
  for (let o = 0; o < outChannels; o++)
    for (let i = 0; i < inChannels; i++)
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) result[((o * inChannels + i) * height + y) * width + x] = values[((y * width + x) * inChannels + i) * outChannels + o];
  return result;
}

/**
 * Maps a row of a Dense kernel after the graph's Flatten (H, W, C order, row
 * = pixel * C + c) to the row ONNX uses for the same feature (C, H, W order,
 * row = c * H * W + pixel). Without a flattened map, rows are the same.
 */
function onnxRowOf(row: number, flattenedShape: number[] | null): number {
  if (!flattenedShape) return row;
  const [height, width, channels] = flattenedShape;
  const channel = row % channels;
  return channel * height * width + (row - channel) / channels;
}

/** Settings shared by both directions of a Dense (Gemm/MatMul) weight conversion. */
export interface DenseLayout {
  inUnits: number;
  units: number;
  /** ONNX B is [units, in] (Gemm transB = 1) instead of [in, units]. */
  transposed: boolean;
  /** Graph kernel = scale * ONNX B (Gemm alpha). */
  scale: number;
  /** [H, W, C] of the map the graph's Flatten reads, or null when the input is not a flattened map. */
  flattenedShape: number[] | null;
}

/** Builds the graph kernel [in, units] from ONNX B. */
export function denseFromOnnx(source: Float32Array, layout: DenseLayout): Float32Array {
  const { inUnits, units, transposed, scale, flattenedShape } = layout;
  const values = new Float32Array(inUnits * units);
  for (let row = 0; row < inUnits; row++) {
    const onnxRow = onnxRowOf(row, flattenedShape);
    for (let unit = 0; unit < units; unit++) {
      values[row * units + unit] = scale * source[transposed ? unit * inUnits + onnxRow : onnxRow * units + unit];
    }
  }
  return values;
}

/** Builds ONNX B ([in, units], or [units, in] when transposed) from the graph kernel [in, units]. */
export function denseToOnnx(kernel: Float32Array, layout: DenseLayout): Float32Array {
  const { inUnits, units, transposed, scale, flattenedShape } = layout;
  const values = new Float32Array(inUnits * units);
  for (let row = 0; row < inUnits; row++) {
    const onnxRow = onnxRowOf(row, flattenedShape);
    for (let unit = 0; unit < units; unit++) {
      values[transposed ? unit * inUnits + onnxRow : onnxRow * units + unit] = kernel[row * units + unit] / scale;
    }
  }
  return values;
}
