import { describe, expect, it } from 'vitest';
import { denseFromOnnx, denseToOnnx, hwioToOihw, oihwToHwio, type DenseLayout } from './onnxWeightLayouts';

const sequence = (count: number) => Float32Array.from({ length: count }, (_, i) => i);

describe('conv weight layouts', () => {
  it('puts ONNX [O, I, kh, kw] entries at [kh, kw, I, O]', () => {
    const onnx = sequence(3 * 2 * 2 * 2);
    const graph = oihwToHwio(onnx, [3, 2, 2, 2]);
    // ONNX entry (o=2, i=1, y=1, x=0) is index ((2 * 2 + 1) * 2 + 1) * 2 + 0 = 22; graph index ((1 * 2 + 0) * 2 + 1) * 3 + 2 = 17.
    expect(graph[17]).toBe(22);
    expect(Array.from(hwioToOihw(graph, [2, 2, 2, 3]))).toEqual(Array.from(onnx));
  });
});

describe('dense weight layouts', () => {
  const layout: DenseLayout = { inUnits: 2 * 3 * 4, units: 2, transposed: true, scale: 0.5, flattenedShape: [2, 3, 4] };

  it('moves a C, H, W row to its H, W, C position', () => {
    const onnx = sequence(layout.inUnits * layout.units);
    const graph = denseFromOnnx(onnx, layout);
    // Graph row (pixel 4, channel 1) = 4 * 4 + 1 = 17 is ONNX row 1 * 6 + 4 = 10; with transB, unit 1 reads ONNX index 1 * 24 + 10.
    expect(graph[17 * 2 + 1]).toBe(0.5 * (24 + 10));
  });

  it('converts back to the same ONNX values', () => {
    const onnx = sequence(layout.inUnits * layout.units);
    expect(Array.from(denseToOnnx(denseFromOnnx(onnx, layout), layout))).toEqual(Array.from(onnx));
    const plain: DenseLayout = { ...layout, transposed: false, scale: 1, flattenedShape: null };
    expect(Array.from(denseFromOnnx(onnx, plain))).toEqual(Array.from(onnx));
  });
});
