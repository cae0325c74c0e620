// `--format github`: GitHub Actions workflow commands, one per finding, which the Actions runner
// turns into annotations on the pull request's diff:
//
//   ::error file=src/app.py,line=3,col=8,endLine=3,endColumn=18,title=MP001::missing main guard: …
//
// Errors become `::error`, warnings `::warning`, information and hints `::notice`. Values are
// escaped as the runner expects (`%`, CR and LF in the message; also `:` and `,` in properties).

import type { PrintedFinding } from './formats';

const COMMAND: Readonly<Record<string, string>> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: 'notice',
};

export function githubFormat(findings: readonly PrintedFinding[]): string {
  return findings
    .map((finding) => {
      const properties = [
        ['file', finding.path.split('\\').join('/')],
        ['line', String(finding.line)],
        ['col', String(finding.column)],
        ['endLine', String(finding.endLine)],
        ['endColumn', String(finding.endColumn)],
        ['title', finding.code],
      ]
        .map(([key, value]) => `${key}=${escapeProperty(value)}`)
        .join(',');
      return `::${COMMAND[finding.severity] ?? 'warning'} ${properties}::${escapeData(finding.message)}\n`;
    })
    .join('');
}

export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
