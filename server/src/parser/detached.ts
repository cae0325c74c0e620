// Strings kept beyond one version of a document (cache keys, comment texts) must not be slices
// of its text: a slice keeps the whole text it was cut from alive.

/** A copy of `text` that shares no storage with the string it was sliced from. */
export function detached(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}
