// Finds the configuration that applies to a file or folder: the nearest pyproject.toml above it
// that has a `[tool.mpscope]` table (a pyproject.toml without one is passed over, so that a
// sub-package's packaging metadata does not hide the project's settings). Results are cached per
// folder; `clear()` forgets them when a pyproject.toml changes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type ProjectConfig, readProjectConfig } from './projectConfig';

export const PYPROJECT = 'pyproject.toml';

/** A folder's answer: the config, none, or the error that stops the search. */
type Lookup = { readonly config: ProjectConfig | undefined } | { readonly error: ConfigError };

export class ProjectConfigFinder {
  private readonly byFolder = new Map<string, Lookup>();
  private readonly byFile = new Map<string, Lookup>();

  /**
   * The configuration for `target` (a file, or a folder when `isFolder`). Throws the
   * ConfigError of the nearest pyproject.toml when that file is broken.
   */
  find(target: string, isFolder = false): ProjectConfig | undefined {
    const absolute = path.resolve(target);
    const lookup = this.lookupFolder(isFolder ? absolute : path.dirname(absolute));
    if ('error' in lookup) throw lookup.error;
    return lookup.config;
  }

  /** Reads one named file (`--config FILE`), which must have a `[tool.mpscope]` table. */
  read(file: string): ProjectConfig {
    const config = this.readFile(path.resolve(file));
    if ('error' in config) throw config.error;
    if (config.config === undefined) throw new ConfigError(file, 'has no [tool.mpscope] table');
    return config.config;
  }

  clear(): void {
    this.byFolder.clear();
    this.byFile.clear();
  }

  private lookupFolder(folder: string): Lookup {
    const known = this.byFolder.get(folder);
    if (known !== undefined) return known;
    const candidate = path.join(folder, PYPROJECT);
    let lookup: Lookup | undefined;
    if (isFile(candidate)) {
      const read = this.readFile(candidate);
      if ('error' in read || read.config !== undefined) lookup = read;
    }
    if (lookup === undefined) {
      const parent = path.dirname(folder);
      lookup = parent === folder ? { config: undefined } : this.lookupFolder(parent);
    }
    this.byFolder.set(folder, lookup);
    return lookup;
  }

  private readFile(file: string): Lookup {
    const known = this.byFile.get(file);
    if (known !== undefined) return known;
    let lookup: Lookup;
    try {
      lookup = { config: readProjectConfig(file) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      lookup = { error };
    }
    this.byFile.set(file, lookup);
    return lookup;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
