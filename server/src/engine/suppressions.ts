// Suppression comments: `# noqa` (all codes), `# noqa: MP001, MP002`, `# mpscope: ignore`
// (all mpscope codes) and `# mpscope: ignore[MP001, MP002]`. A comment silences findings that
// start or end on its line.

import type { SourceFile } from '../parser';

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

export class Suppressions {
  private readonly byLine = new Map<number, LineSuppression>();

  constructor(source: SourceFile) {
    for (const comment of source.comments) {
      const parsed = parseSuppressionComment(comment.text);
      if (parsed) this.byLine.set(source.lines.lineOf(comment.from), parsed);
    }
  }

  isSuppressed(code: string, lines: readonly number[]): boolean {
    return lines.some((line) => {
      const suppression = this.byLine.get(line);
      return suppression !== undefined && (suppression.all || suppression.codes.has(code));
    });
  }
}
