import { baseName, stripExtension, type InputFile } from '../inputFile';
import type { WeightsManifestEntry, WeightsManifestGroup } from './modelJson';

/** Bytes one element takes in a shard, for the stored dtype. */
function storedBytesPerElement(entry: WeightsManifestEntry): number {
  if (entry.quantization) return entry.quantization.dtype === 'uint8' ? 1 : 2;
  if (entry.dtype === 'float32' || entry.dtype === 'int32') return 4;
  if (entry.dtype === 'bool') return 1;
  throw new Error(`Weight '${entry.name}' has dtype '${entry.dtype}', which the workbench cannot read.`);
}

function elementCount(shape: number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** Finds the file for a manifest path: same base name, or same name but for a `.bin` extension. */
export function findShard(path: string, files: InputFile[]): InputFile | undefined {
  const manifestName = baseName(path.replace(/^\.\//, ''));
  return (
    files.find((file) => file.name === manifestName) ??
    files.find((file) => stripExtension(file.name) === stripExtension(manifestName) && (file.name.endsWith('.bin') || manifestName.endsWith('.bin')))
  );
}

function concatenateShards(group: WeightsManifestGroup, files: InputFile[]): Uint8Array {
  const shards = group.paths.map((path) => {
    const file = findShard(path, files);
    if (!file) {
      throw new Error(
        `Weight file '${baseName(path)}' listed in model.json's weightsManifest was not provided. ` +
          'Provide it together with model.json (drop both into the page, or keep them in one folder).',
      );
    }
    return file.bytes;
  });
  const total = shards.reduce((sum, shard) => sum + shard.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const shard of shards) {
    joined.set(shard, offset);
    offset += shard.byteLength;
  }
  return joined;
}

/** Converts IEEE 754 half-precision bits to a number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeEntry(entry: WeightsManifestEntry, bytes: Uint8Array): Float32Array {
  const count = elementCount(entry.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(count);
  const quantization = entry.quantization;
  if (quantization?.dtype === 'float16') {
    for (let i = 0; i < count; i++) values[i] = halfToFloat(view.getUint16(2 * i, true));
  } else if (quantization) {
    // Affine quantization: value = stored * scale + min.
    const scale = quantization.scale ?? 1;
    const min = quantization.min ?? 0;
    for (let i = 0; i < count; i++) {
      const stored = quantization.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true);
      values[i] = stored * scale + min;
    }
  } else if (entry.dtype === 'float32') {
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(4 * i, true);
  } else if (entry.dtype === 'int32') {
    for (let i = 0; i < count; i++) values[i] = view.getInt32(4 * i, true);
  } else {
    for (let i = 0; i < count; i++) values[i] = view.getUint8(i);
  }
  return values;
}

export interface DecodedWeight {
  entry: WeightsManifestEntry;
  values: Float32Array;
}

/** Reads every weight of the manifest as float32, dequantizing uint8/uint16/float16 entries. */
export function readWeights(manifest: WeightsManifestGroup[], files: InputFile[]): Map<string, DecodedWeight> {
  const weights = new Map<string, DecodedWeight>();
  for (const group of manifest) {
    const data = concatenateShards(group, files);
    let offset = 0;
    for (const entry of group.weights) {
      const byteLength = elementCount(entry.shape) * storedBytesPerElement(entry);
      if (offset + byteLength > data.byteLength) {
        throw new Error(
          `Weight files [${group.paths.join(', ')}] hold ${data.byteLength} bytes, but the manifest needs more ` +
            `(weight '${entry.name}' ends at byte ${offset + byteLength}). A shard is truncated or from another model.`,
        );
      }
      const values = decodeEntry(entry, data.subarray(offset, offset + byteLength));
      const bad = values.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) {
        throw new Error(
          `Weight '${entry.name}' contains ${values[bad]} at element ${bad}. The weight files are corrupt or belong to another model.`,
        );
      }
      weights.set(entry.name, { entry, values });
      offset += byteLength;
    }
    if (offset !== data.byteLength) {
      throw new Error(
        `Weight files [${group.paths.join(', ')}] hold ${data.byteLength} bytes, but the manifest describes ${offset}. ` +
          'A shard is from another model or was modified.',
      );
    }
  }
  return weights;
}

export function isQuantized(manifest: WeightsManifestGroup[]): boolean {
  return manifest.some((group) => group.weights.some((entry) => entry.quantization !== undefined));
}
