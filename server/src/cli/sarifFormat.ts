// `--format sarif`: SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the format
// code-scanning services read (GitHub code scanning, Azure DevOps, VS Code's SARIF viewer).
//
// One run; `tool.driver.rules` lists every rule the linter knows (so `ruleIndex` is stable across
// runs) with its name, summary, documentation link and default level; each result points at its
// file (relative to the working folder, which code scanning treats as the repository root) and a
// 1-based region whose columns count Unicode code points (declared by `columnKind`).

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../engine';
import { ruleDocsUrl } from '../rules/docsUrl';
import type { FormatContext, PrintedFinding } from './formats';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
const SOURCE_ROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

const LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function sarifLevel(severity: string): SarifLevel {
  return LEVEL[severity as Severity] ?? 'warning';
}

export function sarifFormat(findings: readonly PrintedFinding[], context: FormatContext): string {
  const ruleIndex = new Map(context.rules.map((rule, index) => [rule.meta.code, index]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'mpscope-lint',
            version: context.toolVersion,
            semanticVersion: context.toolVersion,
            informationUri: 'https://github.com/mpscope/mpscope',
            rules: context.rules.map((rule) => ({
              id: rule.meta.code,
              name: rule.meta.name,
              shortDescription: { text: plain(rule.meta.summary) },
              helpUri: ruleDocsUrl(rule.meta.code),
              help: { text: `See ${ruleDocsUrl(rule.meta.code)}`, markdown: `[${rule.meta.code} ${rule.meta.name}](${ruleDocsUrl(rule.meta.code)})` },
              defaultConfiguration: { level: sarifLevel(rule.meta.defaultSeverity) },
              properties: { tags: ['multiprocessing', rule.meta.defaultSeverity === 'error' ? 'correctness' : 'reliability'] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: context.errors.length === 0,
            toolExecutionNotifications: context.errors.map((error) => ({ level: 'error', message: { text: error } })),
          },
        ],
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: folderUri(context.cwd) } },
        columnKind: 'unicodeCodePoints',
        results: findings.map((finding) => ({
          ruleId: finding.code,
          ...(ruleIndex.has(finding.code) ? { ruleIndex: ruleIndex.get(finding.code) } : {}),
          level: sarifLevel(finding.severity),
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(finding.path, context.cwd),
                region: {
                  startLine: finding.line,
                  startColumn: finding.column,
                  endLine: finding.endLine,
                  endColumn: finding.endColumn,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Relative to %SRCROOT% when the file is inside the working folder, else an absolute file URI. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
  }
  return { uri: pathToFileURL(absolute).href };
}

function folderUri(folder: string): string {
  const href = pathToFileURL(path.resolve(folder)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** Summaries use Markdown backticks; the plain-text descriptions drop them. */
function plain(text: string): string {
  return text.replace(/`/g, '');
}
