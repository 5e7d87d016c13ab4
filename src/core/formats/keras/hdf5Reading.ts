import * as hdf5 from 'jsfive';

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function hasHdf5Signature(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

export function openHdf5(bytes: Uint8Array, name: string): hdf5.File {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return new hdf5.File(buffer, name);
  } catch (error) {
    throw new Error(`'${name}' could not be read as HDF5 (${(error as Error).message}); the file may be truncated.`);
  }
}

/** Returns the group or dataset at a slash-separated path, or null when any part of the path is missing. */
export function childAt(group: hdf5.Group, path: string): hdf5.Group | hdf5.Dataset | null {
  let current: hdf5.Group | hdf5.Dataset = group;
  for (const part of path.split('/').filter((segment) => segment !== '')) {
    if (current instanceof hdf5.Dataset || !current.keys.includes(part)) return null;
    current = current.get(part);
  }
  return current;
}

export function isDataset(entry: hdf5.Group | hdf5.Dataset | null): entry is hdf5.Dataset {
  return entry instanceof hdf5.Dataset;
}

/** Reads a float32 or float64 dataset as float32; `where` names it in errors. */
export function readFloatDataset(dataset: hdf5.Dataset, where: string): Float32Array {
  const dtype = String(dataset.dtype);
  if (!/^[<>]f[48]$/.test(dtype)) {
    const bfloat16 = dataset.attrs.dtype === 'bfloat16' ? ' (bfloat16)' : '';
    throw new Error(`Variable '${where}' has dtype ${dtype}${bfloat16}; only float32 and float64 weights can be read. Cast the model to float32 before saving.`);
  }
  return Float32Array.from(dataset.value);
}

export function attributeText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}
