// Findings → LSP diagnostics and code actions.

import {
  CodeAction,
  CodeActionKind,
  type Diagnostic,
  DiagnosticSeverity,
  type Range,
} from 'vscode-languageserver';
import type { Finding, Severity } from '../engine';
import { ruleDocsUrl } from '../rules/docsUrl';

export const DIAGNOSTIC_SOURCE = 'mpscope';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
}

/** Quick fixes for the findings, each attached to the diagnostic it repairs, without duplicates. */
export function toCodeActions(uri: string, findings: readonly Finding[], clientDiagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Map<string, CodeAction>();
  for (const finding of findings) {
    const diagnostic =
      clientDiagnostics.find(
        (candidate) => candidate.code === finding.code && sameRange(candidate.range, finding.range),
      ) ?? toDiagnostic(finding);
    for (const fix of finding.fixes) {
      const key = `${fix.title}\u0000${JSON.stringify(fix.edits)}`;
      const existing = seen.get(key);
      if (existing) {
        // One edit (e.g. wrapping all module-level starts in a guard) can repair several diagnostics.
        existing.diagnostics?.push(diagnostic);
        continue;
      }
      const action = CodeAction.create(fix.title, { changes: { [uri]: [...fix.edits] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      if (fix.isPreferred) action.isPreferred = true;
      seen.set(key, action);
      actions.push(action);
    }
  }
  return actions;
}

export function rangesIntersect(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
