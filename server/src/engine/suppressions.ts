// Suppression comments: `# noqa` (all codes), `# noqa: MP001, MP002`, `# mpscope: ignore`
// (all mpscope codes) and `# mpscope: ignore[MP001, MP002]`. A comment silences findings that
// start or end on its line.

import type { SourceFile } from '../parser';
import { firstCommentFrom } from './comments';

export interface LineSuppression {
  /** Every code is silenced on this line. */
  readonly all: boolean;
  readonly codes: ReadonlySet<string>;
}

const NOQA = /#\s*noqa\b(?::\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?/i;
const MPSCOPE_IGNORE = /#\s*mpscope:\s*ignore\b(?:\[([^\]]*)\])?/i;

export function parseSuppressionComment(text: string): LineSuppression | undefined {
  const codes = new Set<string>();
  let all = false;
  let found = false;
  for (const pattern of [NOQA, MPSCOPE_IGNORE]) {
    const match = pattern.exec(text);
    if (!match) continue;
    found = true;
    if (match[1] === undefined) {
      all = true;
      continue;
    }
    for (const code of match[1].split(/[\s,]+/)) if (code) codes.add(code.toUpperCase());
  }
  return found ? { all, codes } : undefined;
}

/** The suppression comments of a file, read line by line as findings ask about them. */
export class Suppressions {
  private readonly byLine = new Map<number, LineSuppression | undefined>();

  constructor(private readonly source: SourceFile) {}

  isSuppressed(code: string, lines: readonly number[]): boolean {
    return lines.some((line) => {
      const suppression = this.onLine(line);
      return suppression !== undefined && (suppression.all || suppression.codes.has(code));
    });
  }

  /** The suppression a comment starting on `line` makes (the last such comment, should there be several). */
  private onLine(line: number): LineSuppression | undefined {
    if (this.byLine.has(line)) return this.byLine.get(line);
    const { comments, lines } = this.source;
    let found: LineSuppression | undefined;
    if (line >= 0 && line < lines.lineCount) {
      const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Number.POSITIVE_INFINITY;
      for (let index = firstCommentFrom(comments, lines.lineStart(line)); index < comments.length && comments[index].from < end; index++) {
        found = parseSuppressionComment(comments[index].text) ?? found;
      }
    }
    this.byLine.set(line, found);
    return found;
  }
}
