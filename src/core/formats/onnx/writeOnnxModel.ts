import { nodeWeights } from '../../graph/graphQueries';
import { inferShapes, type ShapeMap } from '../../graph/shapes';
import type { ModelGraph, WeightTensor } from '../../graph/types';
import type { InitializerLayout, OnnxDocument, TensorMapping } from './onnxDocument';
import { int64ToNumber, onnx } from './onnxSchema';
import { rewriteTensorProto, rewriteValueInfoDims, ValueInfoField, type TensorRewrite } from './onnxProtoEdits';
import { decodeIntTensor, TensorField } from './onnxTensorData';
import { readFields, readStringField, WireType, WireWriter } from './protobufWire';
import { denseToOnnx, hwioToOihw } from './onnxWeightLayouts';

/** Field numbers of the ModelProto and GraphProto fields the exporter edits (onnx.proto). */
const ModelField = { GRAPH: 7 } as const;
export const GraphField = { NODE: 1, INITIALIZER: 5, INPUT: 11, OUTPUT: 12, VALUE_INFO: 13 } as const;

/** Collects the graph's weights by the initializer they came from. */
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
    case 'convKernel': {
      const [height, width, inChannels, outChannels] = tensor.shape;
      return { dims: [outChannels, inChannels, height, width], values: hwioToOihw(tensor.values, tensor.shape) };
    }
    case 'depthwiseKernel': {
      // A depthwise kernel [kh, kw, C, m] has the memory order of [kh, kw, 1, C * m].
      const [height, width, channels, multiplier] = tensor.shape;
      return { dims: [channels * multiplier, 1, height, width], values: hwioToOihw(tensor.values, [height, width, 1, channels * multiplier]) };
    }
    case 'channelVector': {
      const dims = [...layout.dims];
      dims[layout.channelAxis] = tensor.values.length;
      return { dims, values: layout.scale === 1 ? tensor.values : tensor.values.map((value) => value / layout.scale) };
    }
    case 'denseKernel': {
      const [inUnits, units] = tensor.shape;
      let flattenedShape: number[] | null = null;
      if (layout.flatten) {
        const flatten = graph.nodes.find((node) => node.name === layout.flatten);
        if (!flatten) throw new Error(`The pruned graph has no Flatten node '${layout.flatten}', which the ONNX export needs to order the weights.`);
        flattenedShape = shapes.get(flatten.inputs[0])!;
      }
      const values = denseToOnnx(tensor.values, { inUnits, units, transposed: layout.transposed, scale: layout.scale, flattenedShape });
      return { dims: layout.transposed ? [units, inUnits] : [inUnits, units], values };
    }
  }
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
