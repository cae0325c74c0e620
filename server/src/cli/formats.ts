// Output formats of mpscope-lint, by name. A format turns the findings of every linted file
// into the text printed on stdout.

import type { Finding } from '../engine';
import type { Rule } from '../rules/rule';
import { githubFormat } from './githubFormat';
import { sarifFormat } from './sarifFormat';

export const FORMAT_NAMES = ['text', 'json', 'github', 'sarif'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface FileFindings {
  /** The path as the user will recognise it (relative when they gave a relative path). */
  readonly path: string;
  readonly text: string;
  readonly findings: readonly Finding[];
}

/** What a format may need beyond the findings. */
export interface FormatContext {
  /** Folder that relative paths are relative to. */
  readonly cwd: string;
  /** Every rule the linter knows (SARIF lists them all, so rule indexes are stable). */
  readonly rules: readonly Rule[];
  readonly toolVersion: string;
  /** Problems that are not findings (unreadable files, broken configuration). */
  readonly errors: readonly string[];
}

/** A finding with 1-based line and character (code point) columns, as printed. */
export interface PrintedFinding {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Exclusive: the column just after the last character. */
  readonly endColumn: number;
  readonly code: string;
  /** The rule's name, e.g. `missing-main-guard`. */
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
}

export function printedFindings(files: readonly FileFindings[]): PrintedFinding[] {
  return files.flatMap((file) => {
    const lines = file.text.split(/\r\n|\n|\r/);
    const column = (line: number, character: number): number =>
      Array.from((lines[line] ?? '').slice(0, character)).length + 1;
    return file.findings.map((finding) => ({
      path: file.path,
      line: finding.range.start.line + 1,
      column: column(finding.range.start.line, finding.range.start.character),
      endLine: finding.range.end.line + 1,
      endColumn: column(finding.range.end.line, finding.range.end.character),
      code: finding.code,
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
    }));
  });
}

export const FORMATTERS: Readonly<Record<FormatName, (files: readonly FileFindings[], context: FormatContext) => string>> = {
  text: (files) =>
    printedFindings(files)
      .map((finding) => `${finding.path}:${finding.line}:${finding.column}: ${finding.code} ${finding.message}\n`)
      .join(''),
  json: (files) =>
    `${JSON.stringify(
      printedFindings(files).map((finding) => ({
        path: finding.path,
        line: finding.line,
        column: finding.column,
        endLine: finding.endLine,
        endColumn: finding.endColumn,
        code: finding.code,
        severity: finding.severity,
        message: finding.message,
      })),
      null,
      2,
    )}\n`,
  github: (files) => githubFormat(printedFindings(files)),
  sarif: (files, context) => sarifFormat(printedFindings(files), context),
};
