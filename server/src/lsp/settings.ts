// The server's settings (section `mpscope` of the client's configuration), normalised so that
// a missing or malformed value falls back to its default instead of breaking linting. They
// override `[tool.mpscope]` of the file's pyproject.toml (see config/effectiveOptions.ts): a
// non-empty `select`/`ignore` replaces the file's, `severity` wins code by code.

import { SEVERITY_SETTINGS, type SeveritySetting } from '../config';

export interface LintSettings {
  readonly enable: boolean;
  readonly select: readonly string[];
  readonly ignore: readonly string[];
  readonly severity: Readonly<Record<string, SeveritySetting>>;
}

export interface ServerSettings {
  readonly lint: LintSettings;
}

export const DEFAULT_SETTINGS: ServerSettings = { lint: { enable: true, select: [], ignore: [], severity: {} } };

export function normalizeSettings(raw: unknown): ServerSettings {
  const lint = isRecord(raw) && isRecord(raw.lint) ? raw.lint : {};
  const severity: Record<string, SeveritySetting> = {};
  if (isRecord(lint.severity)) {
    for (const [code, value] of Object.entries(lint.severity)) {
      if (typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value)) {
        severity[code.toUpperCase()] = value as SeveritySetting;
      }
    }
  }
  return {
    lint: {
      enable: typeof lint.enable === 'boolean' ? lint.enable : DEFAULT_SETTINGS.lint.enable,
      select: codeList(lint.select),
      ignore: codeList(lint.ignore),
      severity,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function codeList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim().toUpperCase())
    : [];
}
