import * as onnxProtoModule from 'onnx-proto';

/**
 * The ONNX protobuf classes generated from onnx.proto. The package is
 * CommonJS: bundlers expose its `onnx` export by name, while Node's own ESM
 * loader only offers the whole `module.exports` as the default export.
 */
export const onnx: typeof onnxProtoModule.onnx =
  onnxProtoModule.onnx ?? (onnxProtoModule as unknown as { default: typeof onnxProtoModule }).default.onnx;

export type { onnx as OnnxTypes } from 'onnx-proto';

/** protobufjs returns 64-bit integers as Long objects when long.js is present, as numbers otherwise. */
export type Int64Value = number | { toNumber(): number };

export function int64ToNumber(value: Int64Value | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Name of an ONNX tensor data type, e.g. 7 -> INT64, for messages. */
export function dataTypeName(dataType: number): string {
  return (onnx.TensorProto.DataType as unknown as Record<number, string>)[dataType] ?? `data type ${dataType}`;
}
