// Where things live, computed once from this file's location so every script works from any cwd.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Tools installed on first use (code-server); gitignored, survives between runs. */
export const cacheDir = path.join(repoRoot, '.cache');
/** Screenshots and logs kept after a test run; gitignored. */
export const resultsDir = path.join(repoRoot, 'test-results');

export function fromRoot(...segments) {
  return path.join(repoRoot, ...segments);
}
