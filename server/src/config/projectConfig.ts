// The `[tool.mpscope]` table of a pyproject.toml, checked and turned into a ProjectConfig:
//
//   [tool.mpscope]
//   select = ["MP0"]                      # codes or prefixes to run (default: all)
//   ignore = ["MP017"]                    # codes or prefixes never to run
//   exclude = ["build", "legacy/*.py"]    # files and folders not to lint
//   severity = { MP013 = "warning", MP019 = "off" }
//
//   [tool.mpscope.per-file-ignores]
//   "tests/**" = ["MP001"]
//
// Every problem is a ConfigError that names the file, line and column, so that the CLI can stop
// with a message the user can act on and the server can show it once.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from '../engine';
import { isKnownRulePattern, ruleByCode } from '../rules/registry';
import { GlobPattern, globProblem } from './glob';
import { isTomlTable, readToml, TomlError, type TomlDocument, type TomlTable, type TomlValue } from './toml';

/** A severity, or `off` to turn the rule off. */
export type SeveritySetting = Severity | 'off';

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface PerFileIgnore {
  readonly pattern: GlobPattern;
  readonly codes: readonly string[];
}

export interface ProjectConfig {
  /** The pyproject.toml (or --config file) it came from. */
  readonly file: string;
  /** Patterns are relative to this folder: the file's own. */
  readonly folder: string;
  /** Undefined when the file does not set it. */
  readonly select: readonly string[] | undefined;
  readonly ignore: readonly string[] | undefined;
  readonly severity: Readonly<Record<string, SeveritySetting>>;
  readonly exclude: readonly GlobPattern[];
  readonly perFileIgnores: readonly PerFileIgnore[];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const KEYS = ['select', 'ignore', 'exclude', 'severity', 'per-file-ignores'] as const;

/** The configuration in `file`; undefined when it has no `[tool.mpscope]` table. */
export function readProjectConfig(file: string): ProjectConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, `cannot read the file: ${(error as Error).message}`);
  }
  return parseProjectConfig(text, file);
}

export function parseProjectConfig(text: string, file: string): ProjectConfig | undefined {
  let document: TomlDocument;
  try {
    document = readToml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    if (error instanceof TomlError) throw new ConfigError(file, `invalid TOML: ${error.reason}`, error.line, error.column);
    throw error;
  }
  const tool = document.root.tool;
  if (!isTomlTable(tool) || tool.mpscope === undefined) return undefined;
  return new ConfigChecker(document, file).check(tool);
}

class ConfigChecker {
  constructor(
    private readonly document: TomlDocument,
    private readonly file: string,
  ) {}

  check(tool: TomlTable): ProjectConfig {
    const table = tool.mpscope;
    if (!isTomlTable(table)) throw this.error(tool, 'mpscope', '[tool.mpscope] must be a table');
    for (const key of Object.keys(table)) {
      if (!(KEYS as readonly string[]).includes(key)) {
        throw this.error(table, key, `unknown key '${key}' in [tool.mpscope]; expected one of: ${KEYS.join(', ')}`);
      }
    }
    return {
      file: this.file,
      folder: path.dirname(this.file),
      select: table.select === undefined ? undefined : this.codes(table, 'select', 'select'),
      ignore: table.ignore === undefined ? undefined : this.codes(table, 'ignore', 'ignore'),
      severity: this.severity(table),
      exclude: table.exclude === undefined ? [] : this.patterns(table, 'exclude'),
      perFileIgnores: this.perFileIgnores(table),
    };
  }

  private codes(table: TomlTable, key: string, what: string): string[] {
    const codes = this.stringList(table, key, `${what} must be a list of rule codes, e.g. ["MP001", "MP01"]`);
    const unknown = codes.filter((code) => !isKnownRulePattern(code));
    if (unknown.length > 0) throw this.error(table, key, `unknown rule code${unknown.length > 1 ? 's' : ''} in ${what}: ${unknown.join(', ')}`);
    return codes.map((code) => code.toUpperCase());
  }

  private severity(table: TomlTable): Record<string, SeveritySetting> {
    const value = table.severity;
    if (value === undefined) return {};
    if (!isTomlTable(value)) throw this.error(table, 'severity', 'severity must be a table of rule code = "error"|"warning"|"information"|"hint"|"off"');
    const result: Record<string, SeveritySetting> = {};
    for (const [code, setting] of Object.entries(value)) {
      if (ruleByCode(code) === undefined) throw this.error(value, code, `unknown rule code '${code}' in severity`);
      if (typeof setting !== 'string' || !(SEVERITY_SETTINGS as readonly string[]).includes(setting)) {
        throw this.error(value, code, `severity of ${code} must be one of: ${SEVERITY_SETTINGS.map((name) => `"${name}"`).join(', ')}`);
      }
      result[code.toUpperCase()] = setting as SeveritySetting;
    }
    return result;
  }

  private patterns(table: TomlTable, key: string): GlobPattern[] {
    const patterns = this.stringList(table, key, `${key} must be a list of glob patterns, e.g. ["build", "tests/data/**"]`);
    return patterns.map((pattern) => {
      const problem = globProblem(pattern);
      if (problem) throw this.error(table, key, `bad pattern '${pattern}' in ${key}: ${problem}`);
      return new GlobPattern(pattern);
    });
  }

  private perFileIgnores(table: TomlTable): PerFileIgnore[] {
    const value = table['per-file-ignores'];
    if (value === undefined) return [];
    if (!isTomlTable(value)) throw this.error(table, 'per-file-ignores', 'per-file-ignores must be a table of "glob" = ["MP001", ...]');
    return Object.keys(value).map((pattern) => {
      const problem = globProblem(pattern);
      if (problem) throw this.error(value, pattern, `bad pattern '${pattern}' in per-file-ignores: ${problem}`);
      return { pattern: new GlobPattern(pattern), codes: this.codes(value, pattern, `per-file-ignores "${pattern}"`) };
    });
  }

  private stringList(table: TomlTable, key: string, message: string): string[] {
    const value: TomlValue | undefined = table[key];
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) throw this.error(table, key, message);
    return value;
  }

  private error(table: TomlTable, key: string, reason: string): ConfigError {
    const position = this.document.positionOf(table, key);
    return new ConfigError(this.file, reason, position?.line, position?.column);
  }
}
