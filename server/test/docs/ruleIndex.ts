// The table of rules in docs/rules/README.md, generated from the rule registry and each rule's
// page (its title line and its "Quick fix:" header), so that the index cannot fall behind.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../src/rules/registry';
import { REPO_ROOT } from '../support/paths';

export const RULE_DOCS_DIR = path.join(REPO_ROOT, 'docs', 'rules');
export const INDEX_FILE = path.join(RULE_DOCS_DIR, 'README.md');
export const START_MARKER = '<!-- rules:start — generated from the rule registry by scripts/write-rule-index.mjs; a test checks it -->';
export const END_MARKER = '<!-- rules:end -->';

export interface RulePage {
  readonly title: string;
  /** The quick fix's title, or undefined when the rule has none. */
  readonly quickFix: string | undefined;
}

/** Reads a rule page's title and quick-fix header; throws with what is missing. */
export function readRulePage(code: string): RulePage {
  const file = path.join(RULE_DOCS_DIR, `${code}.md`);
  if (!fs.existsSync(file)) throw new Error(`docs/rules/${code}.md is missing`);
  const text = fs.readFileSync(file, 'utf8');
  const title = /^# (.+)$/m.exec(text)?.[1];
  if (title === undefined) throw new Error(`docs/rules/${code}.md has no "# name (CODE)" title`);
  const header = /Quick fix:\s*(\*\*([^*]+(?:\*(?!\*)[^*]*)*)\*\*|none)/.exec(text.slice(0, 600).replace(/\n/g, ' '));
  if (header === null) throw new Error(`docs/rules/${code}.md has no "Quick fix: **…**" or "Quick fix: none" in its header`);
  return { title, quickFix: header[2]?.trim() };
}

export function generatedTable(): string {
  const rows = ALL_RULES.map((rule) => {
    const page = readRulePage(rule.meta.code);
    const cells = [
      `[${rule.meta.code}](${rule.meta.code}.md)`,
      `\`${rule.meta.name}\``,
      rule.meta.defaultSeverity,
      page.quickFix ?? '—',
      rule.meta.summary.replace(/\|/g, '\\|'),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [START_MARKER, '', '| Code | Name | Default severity | Quick fix | What it flags |', '|---|---|---|---|---|', ...rows, '', END_MARKER].join('\n');
}

/** The index with its generated part replaced by the current table. */
export function updatedIndex(current: string): string {
  const start = current.indexOf(START_MARKER);
  const end = current.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`docs/rules/README.md must contain the markers ${START_MARKER} … ${END_MARKER}`);
  return current.slice(0, start) + generatedTable() + current.slice(end + END_MARKER.length);
}
