// Which rules run on one file, and how severe they are, once every source of settings is
// combined. Precedence, highest first:
//
//   CLI: --select/--ignore flags          > [tool.mpscope] of the nearest pyproject.toml > defaults
//   editor: mpscope.lint.* settings        > [tool.mpscope] of the nearest pyproject.toml > defaults
//
// A `select` given at a higher level starts a fresh selection: it replaces the lower level's
// `select` and `ignore` (so `--select MP013` runs MP013 even if pyproject.toml ignores it). An
// `ignore` given at a higher level replaces the lower level's `ignore`. `severity` is merged code
// by code (the higher level wins for a code both name). `per-file-ignores` always add to
// `ignore`, and a severity of "off" turns the rule off.

import * as path from 'node:path';
import type { LintOptions, Severity } from '../engine';
import type { ProjectConfig, SeveritySetting } from './projectConfig';

export interface OptionOverrides {
  /** Replaces the config's list when non-empty. */
  readonly select?: readonly string[];
  /** Replaces the config's list when non-empty. */
  readonly ignore?: readonly string[];
  /** Merged over the config's, code by code. */
  readonly severity?: Readonly<Record<string, SeveritySetting>>;
}

export type RuleOptions = Required<Pick<LintOptions, 'select' | 'ignore' | 'severity'>>;

export function effectiveLintOptions(config: ProjectConfig | undefined, file: string | undefined, overrides: OptionOverrides = {}): RuleOptions {
  const freshSelection = nonEmpty(overrides.select);
  const select = freshSelection ?? config?.select ?? [];
  const ignore = [...(nonEmpty(overrides.ignore) ?? (freshSelection ? [] : (config?.ignore ?? [])))];
  if (config !== undefined && file !== undefined) {
    const relative = relativeTo(config, file);
    for (const entry of config.perFileIgnores) if (entry.pattern.matches(relative)) ignore.push(...entry.codes);
  }
  const severity: Record<string, Severity> = {};
  const merged: Record<string, SeveritySetting> = { ...config?.severity, ...upperKeys(overrides.severity) };
  for (const [code, setting] of Object.entries(merged)) {
    if (setting === 'off') ignore.push(code);
    else severity[code] = setting;
  }
  return { select, ignore, severity };
}

/** Whether the config's `exclude` patterns leave `target` (a file or folder) out. */
export function isExcluded(config: ProjectConfig | undefined, target: string): boolean {
  if (config === undefined || config.exclude.length === 0) return false;
  const relative = relativeTo(config, target);
  return config.exclude.some((pattern) => pattern.matches(relative));
}

function relativeTo(config: ProjectConfig, target: string): string {
  return path.relative(config.folder, path.resolve(target)).split(path.sep).join('/');
}

function nonEmpty(list: readonly string[] | undefined): readonly string[] | undefined {
  return list !== undefined && list.length > 0 ? list : undefined;
}

function upperKeys(record: Readonly<Record<string, SeveritySetting>> | undefined): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const [code, value] of Object.entries(record ?? {})) out[code.toUpperCase()] = value;
  return out;
}
