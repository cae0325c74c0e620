// mpscope-lint as a function of (arguments, output streams) → exit status, so that tests and
// the bin entry share it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, effectiveLintOptions, isExcluded, type ProjectConfig, ProjectConfigFinder } from '../config';
import { lint } from '../engine';
import { ALL_RULES } from '../rules/registry';
import { ModuleIdentityFinder } from '../workspace/moduleIdentity';
import { type CliOptions, helpText, parseArgs } from './args';
import { type FileFindings, FORMATTERS } from './formats';
import { TOOL_VERSION } from './version';
import { findPythonFiles } from './walk';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function runCli(argv: readonly string[], io: CliIo): number {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr(`mpscope-lint: ${parsed.error}\nRun 'mpscope-lint --help' for usage.\n`);
    return EXIT_USAGE;
  }
  const options = parsed.options;
  if (options.help) {
    io.stdout(`${helpText()}\n`);
    return EXIT_CLEAN;
  }
  if (options.version) {
    io.stdout(`mpscope-lint ${TOOL_VERSION}\n`);
    return EXIT_CLEAN;
  }
  const cwd = process.cwd();
  const configs = new Configurations(options);
  if (configs.fatal !== undefined) {
    io.stderr(`mpscope-lint: invalid configuration: ${describeConfigError(configs.fatal, cwd)}\n`);
    return EXIT_USAGE;
  }
  // Paths print as found: relative to the working folder when the user named relative paths.
  const { files, errors } = findPythonFiles(options.paths, (candidate, isFolder) =>
    isExcluded(configs.forPath(path.resolve(candidate), isFolder), path.resolve(candidate)),
  );
  const identities = new ModuleIdentityFinder();
  const results: FileFindings[] = [];
  for (const shown of files) {
    const absolute = path.resolve(shown);
    const config = configs.forPath(absolute, false);
    if (configs.failed(absolute)) continue;
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      errors.push(`cannot read '${shown}': ${(error as Error).message}`);
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const findings = lint(text, {
      ...effectiveLintOptions(config, absolute, { select: options.select, ignore: options.ignore }),
      module: identities.identify(absolute),
      onRuleError: (code, error) => {
        errors.push(`internal error in ${code} while linting '${shown}': ${error instanceof Error ? error.stack : String(error)}`);
      },
    });
    results.push({ path: shown, text, findings });
  }
  errors.unshift(...configs.errors.map((error) => `invalid configuration: ${describeConfigError(error, cwd)}`));
  io.stdout(FORMATTERS[options.format](results, { cwd, rules: ALL_RULES, toolVersion: TOOL_VERSION, errors }));
  for (const error of errors) io.stderr(`mpscope-lint: ${error}\n`);
  const count = results.reduce((sum, file) => sum + file.findings.length, 0);
  if (options.format === 'text' && count > 0) {
    const fileCount = results.filter((file) => file.findings.length > 0).length;
    io.stderr(`Found ${count} problem${count === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'} (${results.length} checked).\n`);
  }
  if (errors.length > 0) return EXIT_USAGE;
  return count > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

/**
 * The configuration of each path: the `--config` file for all, or the nearest pyproject.toml
 * with a [tool.mpscope] table. A broken pyproject.toml is reported once; the files it governs
 * are not linted (their settings are unknown).
 */
class Configurations {
  readonly errors: ConfigError[] = [];
  /** A broken `--config` file: nothing can be linted. */
  readonly fatal: ConfigError | undefined;
  private readonly explicit: ProjectConfig | undefined;
  private readonly finder = new ProjectConfigFinder();
  private readonly failedPaths = new Set<string>();

  constructor(options: CliOptions) {
    if (options.config === undefined) return;
    try {
      this.explicit = this.finder.read(path.resolve(options.config));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.fatal = error;
    }
  }

  forPath(target: string, isFolder: boolean): ProjectConfig | undefined {
    if (this.explicit !== undefined) return this.explicit;
    try {
      return this.finder.find(target, isFolder);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.failedPaths.add(target);
      if (!this.errors.some((known) => known.message === error.message)) this.errors.push(error);
      return undefined;
    }
  }

  failed(target: string): boolean {
    return this.failedPaths.has(target);
  }
}

/** `pyproject.toml:12:5: reason`, with the path relative to the working folder when inside it. */
function describeConfigError(error: ConfigError, cwd: string): string {
  const relative = path.relative(cwd, error.file);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? error.file : relative;
  const where = error.line === undefined ? '' : `:${error.line}${error.column === undefined ? '' : `:${error.column}`}`;
  return `${shown}${where}: ${error.reason}`;
}
