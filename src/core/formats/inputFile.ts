/** A file the user provided, as bytes, independent of the browser File API or Node's fs. */
export interface InputFile {
  /** Base name, e.g. `group1-shard1of1.bin`. */
  name: string;
  /** Path inside a dropped folder when known (`models/tinyvgg/model.json`), else the name. */
  path: string;
  bytes: Uint8Array;
}

/** A file an exporter produced, ready to be saved or downloaded. */
export interface OutputFile {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

export function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
