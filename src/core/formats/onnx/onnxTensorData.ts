import { dataTypeName, int64ToNumber, onnx, type OnnxTypes } from './onnxSchema';

const DataType = onnx.TensorProto.DataType;

/** TensorProto field numbers the exporter reads or rewrites. */
export const TensorField = { DIMS: 1, DATA_TYPE: 2, FLOAT_DATA: 4, INT32_DATA: 5, INT64_DATA: 7, NAME: 8, RAW_DATA: 9, DOUBLE_DATA: 10 } as const;

export function tensorDims(tensor: OnnxTypes.ITensorProto): number[] {
  return (tensor.dims ?? []).map(int64ToNumber);
}

function elementCount(dims: number[]): number {
  return dims.reduce((product, n) => product * n, 1);
}

/** Throws when the tensor's data lives outside the .onnx file. */
export function assertInternalData(tensor: OnnxTypes.ITensorProto, fileName: string): void {
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (tensor.externalData?.length ?? 0) > 0) {
    const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value ?? 'another file';
    throw new Error(
      `'${fileName}' keeps tensor '${tensor.name}' in external data ('${location}'), which is not supported. ` +
        'Save the model with every tensor inside the file: onnx.save_model(model, path, save_as_external_data=False).',
    );
  }
}

function rawView(tensor: OnnxTypes.ITensorProto): DataView {
  const raw = tensor.rawData!;
  return new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
}

function hasRawData(tensor: OnnxTypes.ITensorProto): boolean {
  return (tensor.rawData?.length ?? 0) > 0;
}

/** Converts the 16 bits of an IEEE 754 half to a number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Converts a number to the 16 bits of an IEEE 754 half, rounding to nearest even. */
export function numberToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00;
  if (magnitude < 2 ** -14) return sign | Math.round(magnitude * 2 ** 24);
  const exponent = Math.floor(Math.log2(magnitude));
  let fraction = Math.round((magnitude / 2 ** exponent - 1) * 1024);
  let biased = exponent + 15;
  if (fraction === 1024) {
    fraction = 0;
    biased += 1;
  }
  return sign | (biased << 10) | fraction;
}

function checkLength(tensor: OnnxTypes.ITensorProto, length: number, dims: number[]): void {
  if (length !== elementCount(dims)) {
    throw new Error(`Tensor '${tensor.name}' is invalid: it contains ${length} values, but its dims [${dims.join(', ')}] need ${elementCount(dims)}. Re-export the model.`);
  }
}

/** Reads a FLOAT, DOUBLE or FLOAT16 tensor as float32, from raw_data or the typed fields. */
export function decodeFloatTensor(tensor: OnnxTypes.ITensorProto): Float32Array {
  const dims = tensorDims(tensor);
  const count = elementCount(dims);
  let values: Float32Array;
  switch (tensor.dataType) {
    case DataType.FLOAT:
      values = hasRawData(tensor) ? Float32Array.from({ length: tensor.rawData!.length / 4 }, (_, i) => rawView(tensor).getFloat32(i * 4, true)) : Float32Array.from(tensor.floatData ?? []);
      break;
    case DataType.DOUBLE:
      values = hasRawData(tensor) ? Float32Array.from({ length: tensor.rawData!.length / 8 }, (_, i) => rawView(tensor).getFloat64(i * 8, true)) : Float32Array.from(tensor.doubleData ?? []);
      break;
    case DataType.FLOAT16:
      values = hasRawData(tensor)
        ? Float32Array.from({ length: tensor.rawData!.length / 2 }, (_, i) => halfToNumber(rawView(tensor).getUint16(i * 2, true)))
        : Float32Array.from(tensor.int32Data ?? [], halfToNumber);
      break;
    default:
      throw new Error(`Tensor '${tensor.name}' has data type ${dataTypeName(tensor.dataType ?? 0)}; weights must be FLOAT, FLOAT16 or DOUBLE.`);
  }
  checkLength(tensor, values.length, dims);
  return count === values.length ? values : values.subarray(0, count);
}

/** Reads an INT64 or INT32 tensor (shapes, pads, axes) as numbers. */
export function decodeIntTensor(tensor: OnnxTypes.ITensorProto): number[] {
  const dims = tensorDims(tensor);
  let values: number[];
  switch (tensor.dataType) {
    case DataType.INT64:
      values = hasRawData(tensor)
        ? Array.from({ length: tensor.rawData!.length / 8 }, (_, i) => Number(rawView(tensor).getBigInt64(i * 8, true)))
        : (tensor.int64Data ?? []).map(int64ToNumber);
      break;
    case DataType.INT32:
      values = hasRawData(tensor) ? Array.from({ length: tensor.rawData!.length / 4 }, (_, i) => rawView(tensor).getInt32(i * 4, true)) : [...(tensor.int32Data ?? [])];
      break;
    default:
      throw new Error(`Tensor '${tensor.name}' has data type ${dataTypeName(tensor.dataType ?? 0)}; expected INT64 or INT32.`);
  }
  checkLength(tensor, values.length, dims);
  return values;
}

/** Encodes values as raw_data (little-endian) in the given data type. */
export function encodeRawData(dataType: number, values: ArrayLike<number>): Uint8Array {
  const width = { [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.FLOAT16]: 2, [DataType.INT64]: 8, [DataType.INT32]: 4 }[dataType];
  if (width === undefined) throw new Error(`Cannot write tensor data of type ${dataTypeName(dataType)}.`);
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dataType === DataType.FLOAT) view.setFloat32(i * 4, values[i], true);
    else if (dataType === DataType.DOUBLE) view.setFloat64(i * 8, values[i], true);
    else if (dataType === DataType.FLOAT16) view.setUint16(i * 2, numberToHalf(values[i]), true);
    else if (dataType === DataType.INT64) view.setBigInt64(i * 8, BigInt(values[i]), true);
    else view.setInt32(i * 4, values[i], true);
  }
  return bytes;
}
