// The compiled node:test files to run. Node 20's `node --test` does not expand globs, and out/
// can hold tests whose TypeScript source was deleted or renamed: only files whose source still
// exists are run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths.mjs';

/** Source folders with node:test suites, and where tsc puts their output. */
export const unitTestFolders = ['client/test/unit', 'server/test'];

function findTestSources(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.test\.ts$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** For each folder: the compiled test files, and the sources whose output is missing. */
export function collectUnitTests() {
  return unitTestFolders.map((folder) => {
    const sources = findTestSources(path.join(repoRoot, folder));
    const compiled = sources.map((source) => path.join(repoRoot, 'out', path.relative(repoRoot, source)).replace(/\.ts$/, '.js'));
    return {
      folder,
      files: compiled.filter((file) => fs.existsSync(file)),
      notCompiled: compiled.filter((file) => !fs.existsSync(file)),
    };
  });
}
