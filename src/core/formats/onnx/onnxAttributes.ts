import { int64ToNumber, type OnnxTypes } from './onnxSchema';

type OnnxNode = OnnxTypes.INodeProto;

export function attribute(node: OnnxNode, name: string): OnnxTypes.IAttributeProto | undefined {
  return node.attribute?.find((candidate) => candidate.name === name);
}

export function intAttribute(node: OnnxNode, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found ? int64ToNumber(found.i) : fallback;
}

/** Returns an INTS attribute, or null when the node does not set it. */
export function intsAttribute(node: OnnxNode, name: string): number[] | null {
  const found = attribute(node, name);
  return found ? (found.ints ?? []).map(int64ToNumber) : null;
}

export function floatAttribute(node: OnnxNode, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found ? (found.f ?? 0) : fallback;
}

export function stringAttribute(node: OnnxNode, name: string, fallback: string): string {
  const found = attribute(node, name);
  return found?.s && found.s.length > 0 ? new TextDecoder().decode(found.s) : fallback;
}
