/** Layout of an ONNX tensor's values relative to the graph node that carries them. */
export type TensorLayout =
  /** ONNX [N, C, H, W]; the graph node gives [H, W, C]. */
  | 'nchw'
  /** [N, C] in both. */
  | 'vector'
  /** ONNX [N, C, 1, 1] after global pooling; the graph node gives [C]. */
  | 'pooled'
  /** ONNX [N, C*H*W] in C, H, W order; the graph's Flatten gives H, W, C order. */
  | 'flattened';

export interface TensorMapping {
  /** Graph node whose output contains this tensor's values. */
  node: string;
  layout: TensorLayout;
  /** For 'flattened': the graph Flatten node, whose input shape gives H, W and C. */
  flatten?: string;
}

/** Mapping from an initializer's values to the graph weight tensor named after it, so the exporter can convert back. */
export type InitializerLayout =
  /** ONNX [O, I, kh, kw]; graph [kh, kw, I, O]. */
  | { kind: 'convKernel' }
  /** ONNX [C * m, 1, kh, kw]; graph [kh, kw, C, m]. */
  | { kind: 'depthwiseKernel' }
  /** Graph [C] = scale * ONNX values of shape `dims`, whose only non-1 axis is `channelAxis`. */
  | { kind: 'channelVector'; dims: number[]; channelAxis: number; scale: number }
  /**
   * Graph [in, units] = scale * ONNX B, transposed from [units, in] when
   * `transposed`; rows permuted from C, H, W to H, W, C order when `flatten`
   * names the graph Flatten node in front of the layer.
   */
  | { kind: 'denseKernel'; transposed: boolean; scale: number; flatten: string | null };

/** A Reshape shape tensor that spells out the flattened length, which changes when channels are removed. */
export interface ReshapeShape {
  /** Name of the shape initializer. */
  tensor: string;
  /** Graph node the Reshape became (a Flatten, or an Identity after global pooling); its output length is the flattened length. */
  node: string;
  /** Index of the entry that contains the flattened length. */
  lengthIndex: number;
  /** Name of the ONNX Reshape node, for messages. */
  reshape: string;
  /** False when a Constant node produces the shape, which the exporter does not rewrite. */
  inInitializers: boolean;
}

/** Inputs of the ONNX exporter: the user's bytes and the mapping of each tensor onto the graph. */
export interface OnnxDocument {
  fileName: string;
  bytes: Uint8Array;
  initializers: Map<string, InitializerLayout>;
  tensors: Map<string, TensorMapping>;
  reshapeShapes: ReshapeShape[];
}
