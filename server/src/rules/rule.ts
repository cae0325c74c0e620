// The contract between the engine and a rule. A rule is one file (plus its fixes next to it)
// that declares its metadata and reports findings as offsets; the engine handles selection,
// severity, suppression comments and position conversion.

import type { ModuleAnalysis } from '../analysis';
import type { Severity } from '../engine/types';
import type { SourceFile, Span } from '../parser';

export interface RuleMeta {
  /** Stable id: `MP001`. */
  readonly code: string;
  /** Stable kebab-case name: `missing-main-guard`. */
  readonly name: string;
  readonly defaultSeverity: Severity;
  /** One line for listings and `--help`. */
  readonly summary: string;
}

/** A text replacement in offsets of the linted text. */
export interface OffsetEdit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

export interface RuleFix {
  readonly title: string;
  readonly edits: readonly OffsetEdit[];
}

export interface RuleReport {
  readonly span: Span;
  readonly message: string;
  readonly fixes?: readonly RuleFix[];
  /**
   * This finding's severity when it differs from the rule's default (e.g. a case that only
   * breaks on some platforms). A severity the user configures for the code still wins.
   */
  readonly severity?: Severity;
}

export interface RuleContext {
  readonly source: SourceFile;
  readonly analysis: ModuleAnalysis;
  report(report: RuleReport): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(context: RuleContext): void;
}
