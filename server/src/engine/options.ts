// Which rules run and how severe their findings are. The shapes match the settings
// `mpscope.lint.select/ignore/severity` and the CLI's `--select/--ignore`.

import type { ModuleIdentity } from '../analysis';
import type { Rule } from '../rules/rule';
import type { Severity } from './types';

export interface LintOptions {
  /** Codes or code prefixes to run (`MP001`, `MP0`); all rules when absent or empty. */
  readonly select?: readonly string[];
  /** Codes or code prefixes never to run; wins over `select`. */
  readonly ignore?: readonly string[];
  /** Severity overrides by code. */
  readonly severity?: Readonly<Record<string, Severity>>;
  /** The rules to choose from; the registry's when absent. */
  readonly rules?: readonly Rule[];
  /** Where the file sits in its package (resolves relative imports); unknown when absent. */
  readonly module?: ModuleIdentity;
  /**
   * Called when a rule throws; the other rules still run. Without it the error propagates
   * (what tests want).
   */
  readonly onRuleError?: (code: string, error: unknown) => void;
}

function matches(code: string, patterns: readonly string[] | undefined): boolean {
  return (patterns ?? []).some((pattern) => code.startsWith(pattern.toUpperCase()));
}

export function selectRules(rules: readonly Rule[], options: LintOptions): Rule[] {
  const select = options.select !== undefined && options.select.length > 0 ? options.select : undefined;
  return rules.filter(
    (rule) => (select === undefined || matches(rule.meta.code, select)) && !matches(rule.meta.code, options.ignore),
  );
}

/** The user's setting for the code, else the finding's own (`reported`), else the rule's default. */
export function severityOf(rule: Rule, options: LintOptions, reported?: Severity): Severity {
  return options.severity?.[rule.meta.code] ?? reported ?? rule.meta.defaultSeverity;
}
