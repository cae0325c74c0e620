// The same integration tests in desktop VS Code, through @vscode/test-electron, for machines
// that have VS Code or can download it (these offline CI machines use code-server instead:
// scripts/test-integration.mjs). Set VSCODE_EXECUTABLE to use an installed VS Code and skip
// the download.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ensureBuilt } from './lib/build.mjs';
import { makeLogger } from './lib/log.mjs';
import { fromRoot, repoRoot } from './lib/paths.mjs';

const log = makeLogger('electron');
const testsEntry = 'out/client/test/integration/index.js';

async function main() {
  await ensureBuilt(['dist/client.js', 'dist/server.js', 'dist/cli.js', testsEntry], log);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-samples-'));
  fs.cpSync(fromRoot('samples'), workspace, { recursive: true });
  const executable = process.env.VSCODE_EXECUTABLE;
  try {
    await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: fromRoot(testsEntry),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log.error(error instanceof Error ? error.message : String(error));
    log.error('desktop VS Code could not run here; offline machines use `npm run test:integration` (code-server)');
    process.exit(1);
  },
);
