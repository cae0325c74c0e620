// Applies LSP-shaped text edits to a text, as an editor would.

import type { TextEdit } from '../../src/engine';
import { LineIndex } from '../../src/parser';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const offsets = edits
    .map((edit) => ({ from: lines.offsetAt(edit.range.start), to: lines.offsetAt(edit.range.end), text: edit.newText }))
    .sort((a, b) => b.from - a.from);
  let result = text;
  for (const edit of offsets) result = result.slice(0, edit.from) + edit.text + result.slice(edit.to);
  return result;
}
