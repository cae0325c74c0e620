// Finds the Python files to lint under the paths given on the command line. Paths named
// explicitly are always linted (files of any extension, folders even if they are virtual
// environments); inside folders, only *.py/*.pyw files are, and folders that
// hold no source of the user's (version control, caches, virtual environments) are skipped.

import * as fs from 'node:fs';
import * as path from 'node:path';

const SKIPPED_FOLDERS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
]);

const PYTHON_EXTENSIONS = ['.py', '.pyw'];

export interface WalkResult {
  readonly files: string[];
  /** Paths that could not be read, with the reason, for stderr. */
  readonly errors: string[];
}

/** Whether configuration excludes a file or folder met while walking (`isFolder` says which). */
export type ExcludedPredicate = (path: string, isFolder: boolean) => boolean;

export function findPythonFiles(paths: readonly string[], isExcluded: ExcludedPredicate = () => false): WalkResult {
  const files: string[] = [];
  const errors: string[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      errors.push(`cannot read '${given}': ${describe(error)}`);
      continue;
    }
    // A folder or file named explicitly is linted even when it is a virtual environment or
    // matches an `exclude` pattern: the user asked for it.
    if (stat.isDirectory()) walkFolder(given, files, errors, isExcluded, true);
    else files.push(given);
  }
  return { files, errors };
}

/**
 * Whether a folder is a virtual environment: venv and virtualenv write pyvenv.cfg, conda
 * environments have a conda-meta folder.
 */
export function isVirtualEnvironment(folder: string): boolean {
  return fs.existsSync(path.join(folder, 'pyvenv.cfg')) || fs.existsSync(path.join(folder, 'conda-meta'));
}

function walkFolder(folder: string, files: string[], errors: string[], isExcluded: ExcludedPredicate, explicit = false): void {
  if (!explicit && isVirtualEnvironment(folder)) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    errors.push(`cannot read '${folder}': ${describe(error)}`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    // Symbolic links to folders are not followed: they can loop or leave the tree.
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !isExcluded(full, true)) walkFolder(full, files, errors, isExcluded);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && PYTHON_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      if (entry.isSymbolicLink() && !isFile(full)) continue;
      if (isExcluded(full, false)) continue;
      files.push(full);
    }
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
