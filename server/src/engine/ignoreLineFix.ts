// The "ignore on this line" fix: add `# mpscope: ignore[CODE]` to the finding's line, or add
// the code to such a comment that is already there.

import type { Comment, SourceFile, Span } from '../parser';
import { firstCommentFrom } from './comments';
import type { OffsetEdit } from '../rules/rule';

const EXISTING_IGNORE = /#\s*mpscope:\s*ignore\[([^\]]*)\]/i;

export function ignoreOnLineEdit(source: SourceFile, span: Span, code: string): OffsetEdit | undefined {
  const lines = source.lines;
  const candidates = [lines.lineOf(span.from), lines.lineOf(span.to)];
  for (const line of candidates) {
    const edit = editForLine(source, line, code);
    if (edit) return edit;
  }
  return undefined;
}

function editForLine(source: SourceFile, line: number, code: string): OffsetEdit | undefined {
  const lines = source.lines;
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  const first = source.comments[firstCommentFrom(source.comments, start)] as Comment | undefined;
  const comment = first !== undefined && first.from <= end ? first : undefined;
  if (comment) {
    const existing = EXISTING_IGNORE.exec(comment.text);
    if (existing) {
      const listStart = comment.from + existing.index + existing[0].indexOf('[') + 1;
      const listEnd = listStart + existing[1].length;
      const codes = existing[1].split(/[\s,]+/).filter(Boolean);
      return { from: listStart, to: listEnd, insert: [...codes, code].join(', ') };
    }
    return { from: comment.to, to: comment.to, insert: `  # mpscope: ignore[${code}]` };
  }
  // A comment cannot go where the line ends inside a string or continues with a backslash.
  if (source.multilineStrings.some((string) => string.from < end && string.to > end)) return undefined;
  const content = source.text.slice(start, end).replace(/\s+$/, '');
  if (content.endsWith('\\') || content.length === 0) return undefined;
  const contentEnd = start + content.length;
  return { from: contentEnd, to: end, insert: `  # mpscope: ignore[${code}]` };
}
