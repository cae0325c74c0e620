// "Build if needed": the bundles and the tsc output are rebuilt when any source is newer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths.mjs';
import { runCommand } from './run-command.mjs';

const sourceRoots = ['client', 'server', 'shared'];
const sourceFiles = ['package.json', 'tsconfig.json', 'esbuild.mjs'];

function newestSourceTime() {
  let newest = 0;
  const visit = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|tsx|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const root of sourceRoots) visit(path.join(repoRoot, root));
  for (const file of sourceFiles) {
    const full = path.join(repoRoot, file);
    if (fs.existsSync(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when every output exists and none is older than the newest source. */
export function isBuildCurrent(outputs) {
  const newestSource = newestSourceTime();
  return outputs.every((output) => {
    const full = path.join(repoRoot, output);
    return fs.existsSync(full) && fs.statSync(full).mtimeMs >= newestSource;
  });
}

/** Runs `npm run build` unless the outputs are current; throws when the build fails. */
export async function ensureBuilt(outputs, log) {
  if (process.env.MPSCOPE_BUILD_STAGE_DONE === '1') {
    // Under `npm test` the build stage already ran; building again would only repeat its errors.
    const missing = outputs.filter((output) => !fs.existsSync(path.join(repoRoot, output)));
    if (missing.length > 0) throw new Error(`missing build outputs (see the build stage): ${missing.join(', ')}`);
    return;
  }
  if (isBuildCurrent(outputs)) return;
  log.info('building (npm run build)…');
  const { code } = await runCommand('npm', ['run', '--silent', 'build'], { cwd: repoRoot });
  if (code !== 0) throw new Error(`npm run build failed with exit code ${code}`);
  const missing = outputs.filter((output) => !fs.existsSync(path.join(repoRoot, output)));
  if (missing.length > 0) throw new Error(`the build did not produce: ${missing.join(', ')}`);
}
