/**
 * Minimal protobuf wire-format reading and writing, enough to copy a message
 * field by field and replace a few fields. Fields are kept as their original
 * bytes, so fields the ONNX schema copy does not know survive an edit.
 */

export const WireType = { VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, START_GROUP: 3, END_GROUP: 4, FIXED32: 5 } as const;

export interface WireField {
  fieldNumber: number;
  wireType: number;
  /** The whole field: tag, length prefix (if any) and payload. */
  bytes: Uint8Array;
  /** The payload: the message bytes of a length-delimited field, the varint bytes otherwise. */
  payload: Uint8Array;
}

export class WireFormatError extends Error {}

function readVarint(bytes: Uint8Array, start: number): { value: number; end: number } {
  let value = 0;
  let scale = 1;
  for (let position = start; position < bytes.length && position < start + 10; position++) {
    const byte = bytes[position];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, end: position + 1 };
  }
  throw new WireFormatError(`a varint at byte ${start} runs past the end of the data`);
}

/** Splits a message into its fields in file order; throws WireFormatError on truncated or malformed data. */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let position = 0;
  while (position < bytes.length) {
    const start = position;
    const tag = readVarint(bytes, position);
    const fieldNumber = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    let payloadStart = tag.end;
    let end: number;
    switch (wireType) {
      case WireType.VARINT:
        end = readVarint(bytes, tag.end).end;
        break;
      case WireType.FIXED64:
        end = tag.end + 8;
        break;
      case WireType.FIXED32:
        end = tag.end + 4;
        break;
      case WireType.LENGTH_DELIMITED: {
        const length = readVarint(bytes, tag.end);
        payloadStart = length.end;
        end = length.end + length.value;
        break;
      }
      default:
        throw new WireFormatError(`field ${fieldNumber} at byte ${start} has wire type ${wireType}, which ONNX files do not use`);
    }
    if (fieldNumber === 0 || end > bytes.length) {
      throw new WireFormatError(`field ${fieldNumber} at byte ${start} runs past the end of the data (${bytes.length} bytes)`);
    }
    fields.push({ fieldNumber, wireType, bytes: bytes.subarray(start, end), payload: bytes.subarray(payloadStart, end) });
    position = end;
  }
  return fields;
}

/** Reads the first string field with that number, or null. */
export function readStringField(bytes: Uint8Array, fieldNumber: number): string | null {
  const field = readFields(bytes).find((candidate) => candidate.fieldNumber === fieldNumber && candidate.wireType === WireType.LENGTH_DELIMITED);
  return field ? new TextDecoder().decode(field.payload) : null;
}

/** Reads a varint field's value from its payload. */
export function varintValue(field: WireField): number {
  return readVarint(field.payload, 0).value;
}

/** Collects bytes for a message; appends fields in the order written. */
export class WireWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  raw(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private varintBytes(value: number): Uint8Array {
    if (!Number.isSafeInteger(value)) throw new WireFormatError(`cannot write ${value} as a varint`);
    // Negative int64 values take ten bytes in two's complement.
    let remaining = value < 0 ? BigInt.asUintN(64, BigInt(value)) : BigInt(value);
    const out: number[] = [];
    do {
      const low = Number(remaining & 0x7fn);
      remaining >>= 7n;
      out.push(remaining > 0n ? low | 0x80 : low);
    } while (remaining > 0n);
    return Uint8Array.from(out);
  }

  private tag(fieldNumber: number, wireType: number): this {
    return this.raw(this.varintBytes(fieldNumber * 8 + wireType));
  }

  varintField(fieldNumber: number, value: number): this {
    return this.tag(fieldNumber, WireType.VARINT).raw(this.varintBytes(value));
  }

  bytesField(fieldNumber: number, payload: Uint8Array): this {
    return this.tag(fieldNumber, WireType.LENGTH_DELIMITED).raw(this.varintBytes(payload.length)).raw(payload);
  }

  /** Writes a packed repeated varint field (int64 dims, int64_data, int32_data). */
  packedVarintField(fieldNumber: number, values: number[]): this {
    const inner = new WireWriter();
    for (const value of values) inner.raw(this.varintBytes(value));
    return this.bytesField(fieldNumber, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
