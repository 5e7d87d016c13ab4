import type * as H5wasm from 'h5wasm';

export type Hdf5Group = H5wasm.Group;

type H5wasmModule = typeof import('h5wasm');

let loading: Promise<H5wasmModule> | null = null;
let fileCounter = 0;

/**
 * Loads h5wasm on first use: its WebAssembly build is about 4 MB, which
 * only an export to HDF5 needs. The ESM entry keeps files in an in-memory
 * file system in Node and in the browser alike.
 */
function loadH5wasm(): Promise<H5wasmModule> {
  loading ??= import('h5wasm').then(async (module) => {
    await module.ready;
    return module;
  });
  return loading;
}

/** Builds an HDF5 file in memory with `fill` and returns its bytes. */
export async function writeHdf5(fill: (root: Hdf5Group) => void): Promise<Uint8Array> {
  const h5wasm = await loadH5wasm();
  const { FS } = await h5wasm.ready;
  const path = `/lindeps-export-${++fileCounter}.h5`;
  const file = new h5wasm.File(path, 'w');
  try {
    fill(file);
  } finally {
    file.close();
  }
  try {
    return FS.readFile(path);
  } finally {
    FS.unlink(path);
  }
}

/** Keeps JSON within ASCII, as Python's json.dumps writes it, so byte and character lengths agree. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Creates a scalar fixed-length byte string attribute, as h5py stores a Python `bytes` value. */
export function fixedTextAttribute(target: Hdf5Group, name: string, text: string): void {
  target.create_attribute(name, text, null, `S${Math.max(1, new TextEncoder().encode(text).byteLength)}`);
}

/** Creates a 1-D attribute of fixed-length byte strings, NUL-padded to the longest, as h5py stores a NumPy `S` array. */
export function fixedTextListAttribute(target: Hdf5Group, name: string, texts: string[]): void {
  if (texts.length === 0) {
    // An empty Python list becomes an empty float64 array in h5py; readers treat it as no names.
    target.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  const width = Math.max(1, ...texts.map((text) => new TextEncoder().encode(text).byteLength));
  target.create_attribute(name, texts, [texts.length], `S${width}`);
}

/** Creates (or opens) the group at a slash-separated path below `root`. */
export function ensureGroup(root: Hdf5Group, path: string): Hdf5Group {
  let group = root;
  for (const part of path.split('/').filter((segment) => segment !== '')) {
    group = group.keys().includes(part) ? (group.get(part) as Hdf5Group) : group.create_group(part);
  }
  return group;
}

/** Writes a float32 dataset at a slash-separated path below `root`, creating the groups on the way. */
export function writeFloat32Dataset(root: Hdf5Group, path: string, shape: number[], values: Float32Array): void {
  const slash = path.lastIndexOf('/');
  const group = slash < 0 ? root : ensureGroup(root, path.slice(0, slash));
  group.create_dataset({ name: path.slice(slash + 1), data: values, shape, dtype: '<f' });
}
