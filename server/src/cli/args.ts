// Command-line arguments of mpscope-lint. A table of options keeps it easy to extend
// (`--format github|sarif`, `--config`…) and gives every usage error a clear message.

import { ALL_RULES, isKnownRulePattern } from '../rules/registry';
import { FORMAT_NAMES, type FormatName } from './formats';

export interface CliOptions {
  readonly format: FormatName;
  readonly select: readonly string[];
  readonly ignore: readonly string[];
  /** `--config FILE`: use this file's [tool.mpscope] for every path instead of searching. */
  readonly config: string | undefined;
  readonly paths: readonly string[];
  readonly help: boolean;
  readonly version: boolean;
}

export type ParsedArgs = { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly error: string };

interface OptionSpec {
  readonly names: readonly string[];
  /** Placeholder shown in help; absent for flags. */
  readonly value?: string;
  readonly help: string;
  apply(state: MutableOptions, value: string | undefined): string | undefined;
}

interface MutableOptions {
  format: FormatName;
  select: string[];
  ignore: string[];
  config: string | undefined;
  paths: string[];
  help: boolean;
  version: boolean;
}

function codeList(kind: 'select' | 'ignore') {
  return (state: MutableOptions, value: string | undefined): string | undefined => {
    const codes = (value ?? '').split(',').map((code) => code.trim()).filter(Boolean);
    if (codes.length === 0) return `--${kind} needs a comma-separated list of rule codes, e.g. --${kind} MP001`;
    const unknown = codes.filter((code) => !isKnownRulePattern(code));
    if (unknown.length > 0) return `unknown rule code${unknown.length > 1 ? 's' : ''} for --${kind}: ${unknown.join(', ')}`;
    state[kind].push(...codes.map((code) => code.toUpperCase()));
    return undefined;
  };
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    names: ['--format'],
    value: FORMAT_NAMES.join('|'),
    help: 'output format (default: text)',
    apply(state, value) {
      if (!(FORMAT_NAMES as readonly string[]).includes(value ?? '')) {
        return `unknown format '${value ?? ''}' for --format; expected one of: ${FORMAT_NAMES.join(', ')}`;
      }
      state.format = value as FormatName;
      return undefined;
    },
  },
  { names: ['--select'], value: 'CODES', help: 'only run these rules (codes or prefixes, comma-separated)', apply: codeList('select') },
  { names: ['--ignore'], value: 'CODES', help: 'never run these rules (codes or prefixes, comma-separated)', apply: codeList('ignore') },
  {
    names: ['--config'],
    value: 'FILE',
    help: 'read [tool.mpscope] from FILE instead of the nearest pyproject.toml',
    apply(state, value) {
      if (!value) return '--config needs a file name, e.g. --config pyproject.toml';
      state.config = value;
      return undefined;
    },
  },
  {
    names: ['--help', '-h'],
    help: 'show this help',
    apply(state) {
      state.help = true;
      return undefined;
    },
  },
  {
    names: ['--version'],
    help: 'print the version',
    apply(state) {
      state.version = true;
      return undefined;
    },
  },
];

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const state: MutableOptions = { format: 'text', select: [], ignore: [], config: undefined, paths: [], help: false, version: false };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      state.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
    const spec = OPTIONS.find((option) => option.names.includes(name));
    if (spec === undefined) return { ok: false, error: `unknown option '${name}'` };
    let value: string | undefined;
    if (spec.value !== undefined) {
      if (equals > 0 && arg.startsWith('--')) {
        value = arg.slice(equals + 1);
      } else {
        value = argv[i + 1];
        if (value === undefined) return { ok: false, error: `${name} needs a value (${spec.value})` };
        i++;
      }
    } else if (equals > 0) {
      return { ok: false, error: `${name} takes no value` };
    }
    const error = spec.apply(state, value);
    if (error !== undefined) return { ok: false, error };
  }
  if (!state.help && !state.version && state.paths.length === 0) return { ok: false, error: 'no path given: pass the Python files or folders to lint' };
  return { ok: true, options: state };
}

export function helpText(): string {
  const rows = OPTIONS.map((option) => {
    const left = option.names.join(', ') + (option.value ? ` ${option.value}` : '');
    return `  ${left.padEnd(28)} ${option.help}`;
  });
  return [
    'Usage: mpscope-lint [options] PATH...',
    '',
    'Lints Python files for multiprocessing pitfalls. Folders are searched for *.py files,',
    'skipping .git, node_modules, __pycache__, tool caches and virtual environments',
    '(folders containing pyvenv.cfg).',
    '',
    'Options:',
    ...rows,
    '',
    'Output formats (lines and columns are 1-based; columns count characters):',
    '  text    "path:line:column: CODE message" per finding (the default)',
    '  json    an array of {path, line, column, endLine, endColumn, code, severity, message}',
    '  github  GitHub Actions workflow commands ("::error file=...,line=...::message"), shown as',
    '          annotations on pull requests',
    '  sarif   SARIF 2.1.0, for code scanning (e.g. github/codeql-action/upload-sarif)',
    '',
    'Configuration: the nearest pyproject.toml above each file that has a [tool.mpscope] table',
    '(keys: select, ignore, exclude, severity, per-file-ignores). --select/--ignore replace its',
    'select/ignore lists. Files and folders matching "exclude" are skipped while walking folders;',
    'paths named on the command line are always linted.',
    '',
    'Rules:',
    ...ALL_RULES.map((rule) => `  ${rule.meta.code} ${rule.meta.name.padEnd(26)} ${rule.meta.defaultSeverity.padEnd(11)} ${rule.meta.summary}`),
    '',
    'Exit status: 0 no findings, 1 findings, 2 usage error, unreadable path or invalid configuration.',
    '',
    'Silence a finding with "# noqa: MP001" or "# mpscope: ignore[MP001]" on its line.',
  ].join('\n');
}
