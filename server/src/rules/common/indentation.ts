// Indentation facts fixes need: the file's own indent step, and which lines belong to a
// multi-line string (their text is data and must never be re-indented).

import type { SourceFile } from '../../parser';
import { statementBlocks, type Block } from '../../parser';

/** The file's indentation step, from its first indented suite; four spaces when it has none. */
export function indentUnit(source: SourceFile): string {
  const lines = source.lines;
  const search = (block: Block, depth: number): string | undefined => {
    if (depth > 100) return undefined;
    for (const statement of block.statements) {
      for (const nested of statementBlocks(statement)) {
        if (!nested.inline && !nested.recovered && nested.statements.length > 0) {
          const header = lines.indentation(lines.lineOf(statement.from));
          const body = lines.indentation(lines.lineOf(nested.statements[0].from));
          if (body.length > header.length && body.startsWith(header)) return body.slice(header.length);
        }
        const found = search(nested, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(source.module.body, 0) ?? '    ';
}

/** Whether the line starts inside a multi-line string (its text is part of the string). */
export function startsInsideString(source: SourceFile, line: number): boolean {
  const start = source.lines.lineStart(line);
  return source.multilineStrings.some((string) => string.from < start && start < string.to);
}
