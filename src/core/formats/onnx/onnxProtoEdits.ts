import { onnx } from './onnxSchema';
import { encodeRawData, numberToHalf, TensorField } from './onnxTensorData';
import { readFields, varintValue, WireType, WireWriter } from './protobufWire';

/**
 * Edits of single ONNX messages at the wire level: fields that are not
 * rewritten are copied byte for byte, including ones the schema copy does
 * not know.
 */

/** Field numbers of ValueInfoProto and the messages inside it (onnx.proto). */
export const ValueInfoField = { NAME: 1, TYPE: 2 } as const;
const TypeField = { TENSOR_TYPE: 1 } as const;
const TensorTypeField = { SHAPE: 2 } as const;
const ShapeField = { DIM: 1 } as const;
const DimensionField = { DIM_VALUE: 1 } as const;

const DataType = onnx.TensorProto.DataType;

/** New dims and values for one initializer, in the ONNX layout. */
export interface TensorRewrite {
  dims: number[];
  values: ArrayLike<number>;
}

function writeTensorData(writer: WireWriter, dataType: number, asRawData: boolean, values: ArrayLike<number>): void {
  if (asRawData) {
    writer.bytesField(TensorField.RAW_DATA, encodeRawData(dataType, values));
    return;
  }
  switch (dataType) {
    case DataType.FLOAT:
      writer.bytesField(TensorField.FLOAT_DATA, encodeRawData(dataType, values));
      break;
    case DataType.DOUBLE:
      writer.bytesField(TensorField.DOUBLE_DATA, encodeRawData(dataType, values));
      break;
    case DataType.INT64:
      writer.packedVarintField(TensorField.INT64_DATA, Array.from(values));
      break;
    case DataType.FLOAT16:
      // FLOAT16 values without raw_data are stored in int32_data as their 16 bits.
      writer.packedVarintField(TensorField.INT32_DATA, Array.from(values, numberToHalf));
      break;
    default:
      writer.packedVarintField(TensorField.INT32_DATA, Array.from(values));
  }
}

const DATA_FIELDS: number[] = [TensorField.FLOAT_DATA, TensorField.INT32_DATA, TensorField.INT64_DATA, TensorField.RAW_DATA, TensorField.DOUBLE_DATA];

/** Rewrites a TensorProto's dims and data in its own data type and storage field; every other field is copied as it was. */
export function rewriteTensorProto(bytes: Uint8Array, rewrite: TensorRewrite): Uint8Array {
  const fields = readFields(bytes);
  const dataTypeField = fields.find((field) => field.fieldNumber === TensorField.DATA_TYPE);
  const dataType = dataTypeField ? varintValue(dataTypeField) : DataType.FLOAT;
  const asRawData = fields.some((field) => field.fieldNumber === TensorField.RAW_DATA);
  const writer = new WireWriter();
  let wroteDims = false;
  let wroteData = false;
  const writeDims = () => rewrite.dims.forEach((dim) => writer.varintField(TensorField.DIMS, dim));
  for (const field of fields) {
    if (field.fieldNumber === TensorField.DIMS) {
      if (!wroteDims) writeDims();
      wroteDims = true;
    } else if (DATA_FIELDS.includes(field.fieldNumber)) {
      if (!wroteData) writeTensorData(writer, dataType, asRawData, rewrite.values);
      wroteData = true;
    } else {
      writer.raw(field.bytes);
    }
  }
  if (!wroteDims) writeDims();
  if (!wroteData) writeTensorData(writer, dataType, asRawData, rewrite.values);
  return writer.finish();
}

/** Copies a message, passing the payload of each occurrence of one length-delimited field through `edit`. */
function editField(bytes: Uint8Array, fieldNumber: number, edit: (payload: Uint8Array, occurrence: number) => Uint8Array): Uint8Array {
  const writer = new WireWriter();
  let occurrence = 0;
  for (const field of readFields(bytes)) {
    if (field.fieldNumber === fieldNumber && field.wireType === WireType.LENGTH_DELIMITED) writer.bytesField(fieldNumber, edit(field.payload, occurrence++));
    else writer.raw(field.bytes);
  }
  return writer.finish();
}

/** Sets dim_value of the ValueInfoProto's dims where `dims` has a number; symbolic dims and all other fields stay. */
export function rewriteValueInfoDims(bytes: Uint8Array, dims: (number | null)[]): Uint8Array {
  const setDim = (dimension: Uint8Array, index: number): Uint8Array => {
    const value = dims[index];
    if (value === null || value === undefined) return dimension;
    const writer = new WireWriter();
    for (const field of readFields(dimension)) {
      if (field.fieldNumber === DimensionField.DIM_VALUE) writer.varintField(DimensionField.DIM_VALUE, value);
      else writer.raw(field.bytes);
    }
    return writer.finish();
  };
  return editField(bytes, ValueInfoField.TYPE, (type) =>
    editField(type, TypeField.TENSOR_TYPE, (tensorType) => editField(tensorType, TensorTypeField.SHAPE, (shape) => editField(shape, ShapeField.DIM, setDim))),
  );
}
