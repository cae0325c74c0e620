// The real code the precision test lints: CPython's multiprocessing and concurrent.futures
// packages and its multiprocessing test suite (plus mp_fork_bomb.py, CPython's own example of a
// missing main guard), from every pyenv Python found. Shared by the test and by
// scripts/update-precision.mjs, which regenerates the reviewed findings.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../src/engine';
import { ModuleIdentityFinder } from '../../src/workspace/moduleIdentity';
import { filesUnder, REPO_ROOT } from '../support/paths';
import { type PyenvPython, pyenvPythons } from '../support/pyenv';

export const EXPECTED_FILE = path.join(REPO_ROOT, 'server', 'test', 'precision', 'expected-findings.json');

export interface FoundFinding {
  /** Relative to the standard library folder, with `/`. */
  readonly file: string;
  readonly code: string;
  /** The trimmed source line the finding starts on: stable across versions, unlike line numbers. */
  readonly line: string;
  readonly severity: string;
  readonly message: string;
}

export type Verdict = 'true positive' | 'false positive' | 'unreviewed';

export interface ExpectedFinding {
  readonly file: string;
  readonly code: string;
  readonly line: string;
  /** How many findings of this code start on such a line in this file (per Python version). */
  readonly count: number;
  /** The Pythons (of `reviewedWith`) whose copy of the file has it. */
  readonly versions: readonly string[];
  readonly verdict: Verdict;
  /** Why the verdict: what the code does, and why the finding is right or wrong. */
  readonly note: string;
  /** The message when it was reviewed (for the reader; not compared). */
  readonly message: string;
}

export interface ExpectedFindings {
  /** The Python versions the review covered; their findings must match exactly. */
  readonly reviewedWith: readonly string[];
  readonly findings: readonly ExpectedFinding[];
}

export function corpusPythons(): PyenvPython[] {
  return pyenvPythons().filter((python) => fs.existsSync(path.join(python.library, 'multiprocessing', '__init__.py')));
}

export function corpusFiles(python: PyenvPython): string[] {
  const folders = ['multiprocessing', path.join('concurrent', 'futures')].map((folder) => path.join(python.library, folder));
  return [
    ...folders.filter((folder) => fs.existsSync(folder)).flatMap((folder) => filesUnder(folder, '.py')),
    ...['_test_multiprocessing.py', 'mp_fork_bomb.py'].map((name) => path.join(python.library, 'test', name)).filter((file) => fs.existsSync(file)),
  ];
}

export function findingsOf(python: PyenvPython): FoundFinding[] {
  const identities = new ModuleIdentityFinder();
  return corpusFiles(python).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split(/\r\n|\n|\r/);
    return lint(text, { module: identities.identify(file) }).map((finding) => ({
      file: path.relative(python.library, file).split(path.sep).join('/'),
      code: finding.code,
      line: lines[finding.range.start.line].trim(),
      severity: finding.severity,
      message: finding.message,
    }));
  });
}

export function keyOf(finding: { readonly file: string; readonly code: string; readonly line: string }): string {
  return `${finding.file} | ${finding.code} | ${finding.line}`;
}

export function readExpected(): ExpectedFindings {
  return JSON.parse(fs.readFileSync(EXPECTED_FILE, 'utf8')) as ExpectedFindings;
}

/** Findings grouped by key, with their count. */
export function countByKey(findings: readonly FoundFinding[]): Map<string, { finding: FoundFinding; count: number }> {
  const grouped = new Map<string, { finding: FoundFinding; count: number }>();
  for (const finding of findings) {
    const key = keyOf(finding);
    const known = grouped.get(key);
    if (known) known.count++;
    else grouped.set(key, { finding, count: 1 });
  }
  return grouped;
}
