// Locations the tests need, found from the compiled test file's position (out/server/test/…).

import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(): string {
  let folder = __dirname;
  for (;;) {
    const manifest = path.join(folder, 'package.json');
    if (fs.existsSync(manifest) && fs.existsSync(path.join(folder, 'server', 'test'))) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no repository root above ${__dirname}`);
    folder = parent;
  }
}

export const REPO_ROOT = findRepoRoot();
export const CORPUS_DIR = path.join(REPO_ROOT, 'server', 'test', 'corpus');
export const FIXES_DIR = path.join(REPO_ROOT, 'server', 'test', 'fixes');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Every file under `folder` whose name ends with `suffix`, sorted. */
export function filesUnder(folder: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, suffix));
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out.sort();
}
