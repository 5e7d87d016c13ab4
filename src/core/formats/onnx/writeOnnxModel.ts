import { nodeWeights } from '../../graph/graphQueries';
import { inferShapes, type ShapeMap } from '../../graph/shapes';
import type { ModelGraph, WeightTensor } from '../../graph/types';
import type { InitializerLayout, OnnxDocument, TensorMapping } from './onnxDocument';
import { int64ToNumber, onnx } from './onnxSchema';
import { decodeIntTensor, encodeRawData, numberToHalf, TensorField } from './onnxTensorData';
import { readFields, readStringField, varintValue, WireType, WireWriter } from './protobufWire';

/** Field numbers of the ONNX messages the exporter edits (onnx.proto). */
const ModelField = { GRAPH: 7 } as const;
export const GraphField = { NODE: 1, INITIALIZER: 5, INPUT: 11, OUTPUT: 12, VALUE_INFO: 13 } as const;
const ValueInfoField = { NAME: 1, TYPE: 2 } as const;
const TypeField = { TENSOR_TYPE: 1 } as const;
const TensorTypeField = { SHAPE: 2 } as const;
const ShapeField = { DIM: 1 } as const;
const DimensionField = { DIM_VALUE: 1 } as const;

const DataType = onnx.TensorProto.DataType;

/** New dims and values for one initializer, in the ONNX layout. */
interface TensorRewrite {
  dims: number[];
  values: ArrayLike<number>;
}

function weightsBySourceName(graph: ModelGraph): Map<string, WeightTensor> {
  const found = new Map<string, WeightTensor>();
  for (const node of graph.nodes) {
    for (const [, tensor] of nodeWeights(node)) {
      if (!tensor.sourceName) continue;
      const known = found.get(tensor.sourceName);
      if (known && !sameTensor(known, tensor)) {
        throw new Error(`Two layers share the ONNX initializer '${tensor.sourceName}' but now contain different values, so it cannot be written back. Give each layer its own initializer before pruning.`);
      }
      found.set(tensor.sourceName, tensor);
    }
  }
  return found;
}

function sameTensor(a: WeightTensor, b: WeightTensor): boolean {
  if (a.shape.join() !== b.shape.join() || a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) if (!Object.is(a.values[i], b.values[i])) return false;
  return true;
}

/** Converts a graph weight back to the layout and dims its initializer had. */
function toOnnxLayout(tensor: WeightTensor, layout: InitializerLayout, graph: ModelGraph, shapes: ShapeMap): TensorRewrite {
  switch (layout.kind) {
    case 'convKernel':
    case 'depthwiseKernel': {
      const [height, width, inC, multiplier] = tensor.shape;
      // A depthwise kernel [kh, kw, C, m] has the memory order of [kh, kw, 1, C * m].
      const [inChannels, outChannels] = layout.kind === 'convKernel' ? [inC, multiplier] : [1, inC * multiplier];
      const values = new Float32Array(tensor.values.length);
      for (let o = 0; o < outChannels; o++)
        for (let i = 0; i < inChannels; i++)
          for (let y = 0; y < height; y++)
            for (let x = 0; x < width; x++) values[((o * inChannels + i) * height + y) * width + x] = tensor.values[((y * width + x) * inChannels + i) * outChannels + o];
      return { dims: [outChannels, inChannels, height, width], values };
    }
    case 'channelVector': {
      const dims = [...layout.dims];
      dims[layout.channelAxis] = tensor.values.length;
      return { dims, values: layout.scale === 1 ? tensor.values : tensor.values.map((value) => value / layout.scale) };
    }
    case 'denseKernel':
      return denseToOnnx(tensor, layout, graph, shapes);
  }
}

function denseToOnnx(tensor: WeightTensor, layout: Extract<InitializerLayout, { kind: 'denseKernel' }>, graph: ModelGraph, shapes: ShapeMap): TensorRewrite {
  const [inUnits, units] = tensor.shape;
  let flattened: number[] | null = null;
  if (layout.flatten) {
    const flatten = graph.nodes.find((node) => node.name === layout.flatten);
    if (!flatten) throw new Error(`The pruned graph has no Flatten node '${layout.flatten}', which the ONNX export needs to order the weights.`);
    flattened = shapes.get(flatten.inputs[0])!;
  }
  const values = new Float32Array(inUnits * units);
  for (let row = 0; row < inUnits; row++) {
    let onnxRow = row;
    if (flattened) {
      const [height, width, channels] = flattened;
      const channel = row % channels;
      onnxRow = channel * height * width + (row - channel) / channels;
    }
    for (let unit = 0; unit < units; unit++) {
      const value = tensor.values[row * units + unit] / layout.scale;
      values[layout.transposed ? unit * inUnits + onnxRow : onnxRow * units + unit] = value;
    }
  }
  return { dims: layout.transposed ? [units, inUnits] : [inUnits, units], values };
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

/** Computes the ONNX dims (batch left as it is) that a tensor has in the pruned graph. */
function expectedDims(mapping: TensorMapping, shapes: ShapeMap): (number | null)[] | null {
  const shape = shapes.get(mapping.node);
  if (!shape) return null;
  const channels = shape[shape.length - 1];
  switch (mapping.layout) {
    case 'nchw':
      return shape.length === 3 ? [null, channels, shape[0], shape[1]] : null;
    case 'pooled':
      return [null, channels, 1, 1];
    case 'vector':
    case 'flattened':
      return [null, shape.reduce((product, n) => product * n, 1)];
  }
}

function currentDims(bytes: Uint8Array): (number | null)[] {
  const info = onnx.ValueInfoProto.decode(bytes);
  return (info.type?.tensorType?.shape?.dim ?? []).map((dim) => (int64ToNumber(dim.dimValue) > 0 ? int64ToNumber(dim.dimValue) : null));
}

/** Dims to write for a value_info entry, or null when it needs no change. */
function valueInfoUpdate(bytes: Uint8Array, expected: (number | null)[] | null): (number | null)[] | null {
  if (!expected) return null;
  const current = currentDims(bytes);
  if (current.length !== expected.length) return null;
  const changed = expected.some((value, i) => value !== null && current[i] !== null && current[i] !== value);
  return changed ? expected.map((value, i) => (current[i] === null ? null : value)) : null;
}

interface GraphEdits {
  initializers: Map<string, TensorRewrite>;
  tensorMappings: Map<string, TensorMapping>;
  shapes: ShapeMap;
}

function collectEdits(document: OnnxDocument, original: ModelGraph, pruned: ModelGraph): GraphEdits {
  const shapes = inferShapes(pruned);
  const before = weightsBySourceName(original);
  const initializers = new Map<string, TensorRewrite>();
  for (const [name, tensor] of weightsBySourceName(pruned)) {
    const previous = before.get(name);
    if (previous && sameTensor(previous, tensor)) continue;
    const layout = document.initializers.get(name);
    if (!layout) throw new Error(`Weight '${name}' changed, but it is not an initializer of '${document.fileName}' (it may come from a Constant node), so it cannot be written back. Move it into the initializers before pruning.`);
    initializers.set(name, toOnnxLayout(tensor, layout, pruned, shapes));
  }
  const model = onnx.ModelProto.decode(document.bytes);
  for (const reshape of document.reshapeShapes) {
    const length = shapes.get(reshape.node)!.reduce((product, n) => product * n, 1);
    const constantNodeValue = model.graph!.node!.find((node) => node.output?.includes(reshape.tensor))?.attribute?.find((entry) => entry.name === 'value')?.t;
    const tensor = reshape.inInitializers ? model.graph!.initializer!.find((candidate) => candidate.name === reshape.tensor)! : constantNodeValue!;
    const values = decodeIntTensor(tensor);
    if (values[reshape.lengthIndex] === length) continue;
    if (!reshape.inInitializers) {
      throw new Error(
        `Reshape '${reshape.reshape}' flattens to ${values[reshape.lengthIndex]} values, now ${length}, but its shape comes from a Constant node, which the exporter does not rewrite. ` +
          'Store the shape as an initializer (or use [0, -1]) and import the model again.',
      );
    }
    values[reshape.lengthIndex] = length;
    initializers.set(reshape.tensor, { dims: [values.length], values });
  }
  return { initializers, tensorMappings: document.tensors, shapes };
}

function rewriteGraph(graphBytes: Uint8Array, edits: GraphEdits): Uint8Array {
  const writer = new WireWriter();
  for (const field of readFields(graphBytes)) {
    if (field.wireType !== WireType.LENGTH_DELIMITED) {
      writer.raw(field.bytes);
      continue;
    }
    if (field.fieldNumber === GraphField.INITIALIZER) {
      const rewrite = edits.initializers.get(readStringField(field.payload, TensorField.NAME) ?? '');
      if (rewrite) writer.bytesField(GraphField.INITIALIZER, rewriteTensorProto(field.payload, rewrite));
      else writer.raw(field.bytes);
    } else if (field.fieldNumber === GraphField.VALUE_INFO || field.fieldNumber === GraphField.INPUT) {
      const name = readStringField(field.payload, ValueInfoField.NAME) ?? '';
      const initializer = field.fieldNumber === GraphField.INPUT ? edits.initializers.get(name) : undefined;
      const mapping = field.fieldNumber === GraphField.VALUE_INFO ? edits.tensorMappings.get(name) : undefined;
      // Old files (IR 3) list every initializer as a graph input too, with its shape.
      let dims: (number | null)[] | null = null;
      if (initializer) dims = initializer.dims;
      else if (mapping) dims = valueInfoUpdate(field.payload, expectedDims(mapping, edits.shapes));
      if (dims) writer.bytesField(field.fieldNumber, rewriteValueInfoDims(field.payload, dims));
      else writer.raw(field.bytes);
    } else {
      writer.raw(field.bytes);
    }
  }
  return writer.finish();
}

/**
 * Writes the pruned graph into the user's ONNX file. Every field of the
 * model and graph is copied byte for byte except the initializers whose
 * values changed, the intermediate shapes whose channel counts changed, and
 * Reshape shapes that spell out a changed flattened length.
 */
export function writeOnnxModel(document: OnnxDocument, original: ModelGraph, pruned: ModelGraph): Uint8Array {
  const edits = collectEdits(document, original, pruned);
  const writer = new WireWriter();
  for (const field of readFields(document.bytes)) {
    if (field.fieldNumber === ModelField.GRAPH && field.wireType === WireType.LENGTH_DELIMITED) writer.bytesField(ModelField.GRAPH, rewriteGraph(field.payload, edits));
    else writer.raw(field.bytes);
  }
  return writer.finish();
}
