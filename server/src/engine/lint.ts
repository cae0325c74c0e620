// lint(text, options) → findings: parse (unless given a parsed file), analyse once (unless given
// an analysis), run the selected rules, drop suppressed findings, convert offsets to ranges and
// attach fixes.

import { ModuleAnalysis } from '../analysis';
import { parseSource, type SourceFile, type Span } from '../parser';
import { ALL_RULES } from '../rules/registry';
import type { OffsetEdit, Rule, RuleReport } from '../rules/rule';
import { ignoreOnLineEdit } from './ignoreLineFix';
import { type LintOptions, selectRules, severityOf } from './options';
import { Suppressions } from './suppressions';
import type { Finding, Fix, Range, TextEdit } from './types';

/**
 * `input` may be an analysis the caller keeps (the language server re-uses it for hovers); its
 * own identity then stands for `options.module`.
 */
export function lint(input: string | SourceFile | ModuleAnalysis, options: LintOptions = {}): Finding[] {
  const analysis =
    input instanceof ModuleAnalysis ? input : new ModuleAnalysis(typeof input === 'string' ? parseSource(input) : input, options.module);
  const source = analysis.source;
  const suppressions = new Suppressions(source);
  const findings: Finding[] = [];
  for (const rule of selectRules(options.rules ?? ALL_RULES, options)) {
    const reports: RuleReport[] = [];
    const context = { source, analysis, report: (report: RuleReport) => reports.push(report) };
    if (options.onRuleError) {
      try {
        rule.check(context);
      } catch (error) {
        options.onRuleError(rule.meta.code, error);
        continue;
      }
    } else {
      rule.check(context);
    }
    for (const report of reports) {
      const lines = [source.lines.lineOf(report.span.from), source.lines.lineOf(report.span.to)];
      if (suppressions.isSuppressed(rule.meta.code, lines)) continue;
      findings.push(toFinding(source, rule, report, options));
    }
  }
  return findings.sort((a, b) => a.offsets.from - b.offsets.from || a.code.localeCompare(b.code));
}

function toFinding(source: SourceFile, rule: Rule, report: RuleReport, options: LintOptions): Finding {
  const fixes: Fix[] = (report.fixes ?? []).map((fix, index) => ({
    title: fix.title,
    kind: 'quickfix',
    isPreferred: index === 0,
    edits: fix.edits.map((edit) => toTextEdit(source, edit)),
  }));
  const ignore = ignoreOnLineEdit(source, report.span, rule.meta.code);
  if (ignore) {
    fixes.push({
      title: `Ignore ${rule.meta.code} on this line`,
      kind: 'suppression',
      isPreferred: false,
      edits: [toTextEdit(source, ignore)],
    });
  }
  return {
    code: rule.meta.code,
    rule: rule.meta.name,
    severity: severityOf(rule, options, report.severity),
    message: report.message,
    range: toRange(source, report.span),
    offsets: { from: report.span.from, to: report.span.to },
    fixes,
  };
}

export function toRange(source: SourceFile, span: Span): Range {
  return { start: source.lines.positionAt(span.from), end: source.lines.positionAt(span.to) };
}

function toTextEdit(source: SourceFile, edit: OffsetEdit): TextEdit {
  return { range: toRange(source, edit), newText: edit.insert };
}
