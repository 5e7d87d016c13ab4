import type { DecodedImage } from '../core/data/preprocessing';
import type { InputFile } from '../core/formats/inputFile';

/** A dropped or picked file with the path it had inside a dropped folder. */
export interface PickedFile {
  file: File;
  path: string;
}

export function isImageFile(file: File): boolean {
  return /^image\/(png|jpeg)$/.test(file.type) || /\.(png|jpe?g)$/i.test(file.name);
}

export async function toInputFile({ file, path }: PickedFile): Promise<InputFile> {
  return { name: file.name, path, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** Decodes an image with the browser's decoder, without colour management so pixels match the file. */
export async function decodeBrowserImage({ file, path }: PickedFile): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error(`Image '${path}' could not be decoded; use PNG or JPEG files.`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser has no 2D canvas to decode images with.');
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { path, width: canvas.width, height: canvas.height, rgba: data };
}

/** Reads every file from a drop, descending into dropped folders. */
export async function filesFromDrop(dataTransfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(dataTransfer.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => Boolean(entry));
  if (entries.length === 0) return Array.from(dataTransfer.files, (file) => ({ file, path: file.name }));
  const picked: PickedFile[] = [];
  for (const entry of entries) await collectEntry(entry, picked);
  return picked;
}

async function collectEntry(entry: FileSystemEntry, picked: PickedFile[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    picked.push({ file, path });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most 100 entries per call; read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await collectEntry(child, picked);
  }
}

export function filesFromInput(list: FileList): PickedFile[] {
  return Array.from(list, (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** Starts a browser download of one exported file. */
export function downloadUrl(bytes: Uint8Array, mimeType: string): string {
  return URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }));
}
