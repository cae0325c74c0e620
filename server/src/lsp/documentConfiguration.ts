// Which rules run on an open document, from the editor settings and the `[tool.mpscope]` of the
// nearest pyproject.toml (editor settings win). A broken pyproject.toml is logged and shown to
// the user once (per file and problem); its document is then linted with the editor settings
// and defaults. pyproject.toml files are cached until the client reports a change to one.

import { fileURLToPath } from 'node:url';
import { ConfigError, effectiveLintOptions, isExcluded, type ProjectConfig, ProjectConfigFinder, type RuleOptions } from '../config';
import type { ServerSettings } from './settings';

export interface DocumentOptions {
  /** `exclude` in the project configuration leaves this file out. */
  readonly excluded: boolean;
  readonly options: RuleOptions;
}

export class DocumentConfiguration {
  private readonly finder = new ProjectConfigFinder();
  private readonly reported = new Set<string>();

  constructor(private readonly onConfigError: (error: ConfigError) => void) {}

  optionsFor(uri: string, settings: ServerSettings): DocumentOptions {
    const file = filePath(uri);
    const config = file === undefined ? undefined : this.configFor(file);
    return {
      excluded: file !== undefined && isExcluded(config, file),
      options: effectiveLintOptions(config, file, settings.lint),
    };
  }

  /** Forget every pyproject.toml read so far (one changed, appeared or disappeared). */
  refresh(): void {
    this.finder.clear();
    this.reported.clear();
  }

  /**
   * Read pyproject.toml files again on the next lint, without repeating warnings already shown:
   * for clients that cannot report file changes (a few small reads per lint).
   */
  rereadFiles(): void {
    this.finder.clear();
  }

  private configFor(file: string): ProjectConfig | undefined {
    try {
      return this.finder.find(file);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      if (!this.reported.has(error.message)) {
        this.reported.add(error.message);
        this.onConfigError(error);
      }
      return undefined;
    }
  }
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
