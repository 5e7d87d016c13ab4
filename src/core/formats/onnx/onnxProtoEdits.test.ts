import { describe, expect, it } from 'vitest';
import { onnx, type OnnxTypes } from './onnxSchema';
import { decodeFloatTensor, decodeIntTensor, encodeRawData } from './onnxTensorData';
import { readFields, WireFormatError } from './protobufWire';
import { rewriteTensorProto, rewriteValueInfoDims } from './onnxProtoEdits';

const DataType = onnx.TensorProto.DataType;
const values = [0.5, -2, 1.25, 3, -0.75, 8];
const smaller = [1.5, -0.25, 4, 2];

const storages: [string, OnnxTypes.ITensorProto, (tensor: OnnxTypes.ITensorProto) => number[]][] = [
  ['FLOAT raw_data', { dataType: DataType.FLOAT, rawData: encodeRawData(DataType.FLOAT, values) }, (t) => Array.from(decodeFloatTensor(t))],
  ['FLOAT float_data', { dataType: DataType.FLOAT, floatData: values }, (t) => Array.from(decodeFloatTensor(t))],
  ['DOUBLE raw_data', { dataType: DataType.DOUBLE, rawData: encodeRawData(DataType.DOUBLE, values) }, (t) => Array.from(decodeFloatTensor(t))],
  ['DOUBLE double_data', { dataType: DataType.DOUBLE, doubleData: values }, (t) => Array.from(decodeFloatTensor(t))],
  ['FLOAT16 raw_data', { dataType: DataType.FLOAT16, rawData: encodeRawData(DataType.FLOAT16, values) }, (t) => Array.from(decodeFloatTensor(t))],
  ['FLOAT16 int32_data', { dataType: DataType.FLOAT16, int32Data: Array.from(new Uint16Array(encodeRawData(DataType.FLOAT16, values).buffer)) }, (t) => Array.from(decodeFloatTensor(t))],
  ['INT64 int64_data', { dataType: DataType.INT64, int64Data: [1, -1, 96, 0, 5, 7] }, decodeIntTensor],
];

describe('rewriteTensorProto', () => {
  it.each(storages)('rewrites %s in place', (_, fields, decode) => {
    const original = onnx.TensorProto.encode({ name: 'w', dims: [2, 3], docString: 'kept', ...fields }).finish();
    const replacement = fields.dataType === DataType.INT64 ? [1, 64, -1, 0] : smaller;
    const rewritten = onnx.TensorProto.decode(rewriteTensorProto(original, { dims: [2, 2], values: replacement }));
    expect(decode(rewritten)).toEqual(replacement);
    expect(rewritten.dims.map(Number)).toEqual([2, 2]);
    expect(rewritten.name).toBe('w');
    expect(rewritten.docString).toBe('kept');
    expect(rewritten.dataType).toBe(fields.dataType);
    expect(rewritten.rawData.length > 0).toBe((fields.rawData?.length ?? 0) > 0);
  });
});

describe('rewriteValueInfoDims', () => {
  it('changes numeric dims and keeps symbolic ones', () => {
    const info = onnx.ValueInfoProto.encode({
      name: 'features',
      docString: 'intermediate',
      type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 16, denotation: 'CHANNEL' }, { dimValue: 4 }, { dimValue: 4 }] } } },
    }).finish();
    const decoded = onnx.ValueInfoProto.decode(rewriteValueInfoDims(info, [null, 12, 4, 4]));
    const dims = decoded.type!.tensorType!.shape!.dim!;
    expect(dims.map((dim) => dim.dimParam || Number(dim.dimValue))).toEqual(['batch', 12, 4, 4]);
    expect(dims[1].denotation).toBe('CHANNEL');
    expect(decoded.docString).toBe('intermediate');
  });
});

describe('readFields', () => {
  it('rejects a length that runs past the end', () => {
    const bytes = onnx.TensorProto.encode({ name: 'weights', dims: [4] }).finish();
    expect(() => readFields(bytes.subarray(0, bytes.length - 2))).toThrow(WireFormatError);
  });
});
