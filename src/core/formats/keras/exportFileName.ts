/** Returns the extension of a file name (`.keras`, lower case), or '' when it has none. */
function extensionOf(name: string): string {
  const match = /\.[^./\\]*$/.exec(name);
  return match ? match[0].toLowerCase() : '';
}

/**
 * Names an export after its source, with an extension that matches the
 * content. Keras picks the loader by extension, so a `.keras` archive named
 * `x.h5` must go out as `x.keras`. `extensions` lists the accepted ones, the
 * first being the one used when the source's does not fit.
 */
export function exportFileName(sourceName: string, extensions: string[]): string {
  const extension = extensionOf(sourceName);
  if (extensions.includes(extension)) return sourceName;
  return sourceName.slice(0, sourceName.length - extension.length) + extensions[0];
}

/** Tells the user that the source's name does not fit its content, and what the export will be called; null when it fits. */
export function extensionNote(sourceName: string, content: string, extensions: string[]): string | null {
  const exportName = exportFileName(sourceName, extensions);
  if (exportName === sourceName) return null;
  return `'${sourceName}' is ${content}, which Keras loads from a ${extensions[0]} file, so the export is named '${exportName}'.`;
}
