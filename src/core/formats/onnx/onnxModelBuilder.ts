import { onnx, type OnnxTypes } from './onnxSchema';
import { encodeRawData } from './onnxTensorData';
import { WireWriter } from './protobufWire';

/** Storage field and data type of a test initializer's values. */
export type TensorStorage = 'raw' | 'floatData' | 'double' | 'float16' | 'int64';

export type AttributeValue = number | number[] | string | { float: number };

/** Attributes that ONNX defines as floats; every other number is written as an int. */
const FLOAT_ATTRIBUTES = new Set(['alpha', 'beta', 'epsilon', 'min', 'max', 'value', 'momentum', 'ratio']);

const DataType = onnx.TensorProto.DataType;

/** Extra bytes the builder can add to the model, to check that an export keeps what it does not understand. */
export interface BuildExtras {
  /** Appended inside the ModelProto and the GraphProto: a field number no ONNX version uses. */
  unknownFields?: boolean;
  docString?: string;
  metadata?: Record<string, string>;
}

/** Field number for unknown test fields, far above any onnx.proto field. */
export const UNKNOWN_FIELD_NUMBER = 1999;

function dimsProto(dims: (number | string)[]): OnnxTypes.ITensorShapeProto {
  return { dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) };
}

function valueInfo(name: string, dims: (number | string)[] | null, elemType: number = DataType.FLOAT): OnnxTypes.IValueInfoProto {
  return { name, type: { tensorType: { elemType, ...(dims ? { shape: dimsProto(dims) } : {}) } } };
}

function attributeProto(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const Type = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: Type.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: Type.INTS, ints: value };
  if (typeof value === 'object') return { name, type: Type.FLOAT, f: value.float };
  return FLOAT_ATTRIBUTES.has(name) ? { name, type: Type.FLOAT, f: value } : { name, type: Type.INT, i: value };
}

/** Builds small ONNX models in tests, encoded with the same generated classes the importer decodes with. */
export class OnnxModelBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly valueInfos: OnnxTypes.IValueInfoProto[] = [];

  constructor(
    private readonly opset = 13,
    private readonly irVersion = 8,
  ) {}

  input(name: string, dims: (number | string)[]): this {
    this.inputs.push(valueInfo(name, dims));
    return this;
  }

  output(name: string, dims: (number | string)[] | null = null): this {
    this.outputs.push(valueInfo(name, dims));
    return this;
  }

  /** Declares an intermediate tensor's shape, as exporters write into value_info. */
  shape(name: string, dims: (number | string)[]): this {
    this.valueInfos.push(valueInfo(name, dims));
    return this;
  }

  initializer(name: string, dims: number[], values: ArrayLike<number>, storage: TensorStorage = 'raw'): this {
    const tensor: OnnxTypes.ITensorProto = { name, dims };
    switch (storage) {
      case 'raw':
        Object.assign(tensor, { dataType: DataType.FLOAT, rawData: encodeRawData(DataType.FLOAT, values) });
        break;
      case 'floatData':
        Object.assign(tensor, { dataType: DataType.FLOAT, floatData: Array.from(values) });
        break;
      case 'double':
        Object.assign(tensor, { dataType: DataType.DOUBLE, rawData: encodeRawData(DataType.DOUBLE, values) });
        break;
      case 'float16':
        Object.assign(tensor, { dataType: DataType.FLOAT16, rawData: encodeRawData(DataType.FLOAT16, values) });
        break;
      case 'int64':
        Object.assign(tensor, { dataType: DataType.INT64, int64Data: Array.from(values) });
        break;
    }
    this.initializers.push(tensor);
    return this;
  }

  /** Adds an initializer whose data lives in another file (unsupported on import). */
  externalInitializer(name: string, dims: number[]): this {
    this.initializers.push({
      name,
      dims,
      dataType: DataType.FLOAT,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: 'weights.bin' }],
    });
    return this;
  }

  node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, AttributeValue> = {}, name = outputs[0]): this {
    this.nodes.push({ opType, name, input: inputs, output: outputs, attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)) });
    return this;
  }

  build(extras: BuildExtras = {}): Uint8Array {
    const graph = onnx.GraphProto.encode({
      name: 'test_graph',
      node: this.nodes,
      initializer: this.initializers,
      // IR 3 files list every initializer as a graph input too.
      input: this.irVersion < 4 ? [...this.inputs, ...this.initializers.map((tensor) => valueInfo(tensor.name!, tensor.dims as number[], tensor.dataType!))] : this.inputs,
      output: this.outputs,
      valueInfo: this.valueInfos,
      docString: extras.docString ? `graph: ${extras.docString}` : '',
    }).finish();
    const model = onnx.ModelProto.encode({
      irVersion: this.irVersion,
      producerName: 'lindeps-test',
      opsetImport: [{ domain: '', version: this.opset }],
      docString: extras.docString ?? '',
      metadataProps: Object.entries(extras.metadata ?? {}).map(([key, value]) => ({ key, value })),
    }).finish();
    const unknown = (writer: WireWriter) => (extras.unknownFields ? writer.bytesField(UNKNOWN_FIELD_NUMBER, new TextEncoder().encode('kept as is')) : writer);
    const graphWithExtras = unknown(new WireWriter().raw(graph)).finish();
    return unknown(new WireWriter().raw(model).bytesField(7, graphWithExtras)).finish();
  }
}
