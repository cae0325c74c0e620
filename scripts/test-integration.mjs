// Integration tests in a real VS Code: code-server (Node extension host) + headless Chromium.
// The extension under development is this repository; its tests are
// out/client/test/integration/index.js (compiled from client/test/integration/index.ts), and
// they run against a temporary copy of samples/ so the repository is never modified. A test-only
// extension runs beside it: client/test/fixtures/debugpy-fixture, which starts Debian's debugpy
// adapter for the debug-session tests (python3-debugpy; .ci/run installs it).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from './lib/build.mjs';
import { ensureCodeServer } from './lib/code-server.mjs';
import { runExtensionTests } from './lib/extension-tests.mjs';
import { installFixtureExtension } from './lib/fixture-extensions.mjs';
import { makeLogger } from './lib/log.mjs';
import { fromRoot, repoRoot } from './lib/paths.mjs';

const log = makeLogger('integration');
const testsEntry = 'out/client/test/integration/index.js';

async function main() {
  await ensureBuilt(['dist/client.js', 'dist/server.js', 'dist/cli.js', testsEntry], log);
  await ensureCodeServer();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-samples-'));
  fs.cpSync(fromRoot('samples'), workspace, { recursive: true });
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-integration-extensions-'));
  installFixtureExtension(fromRoot('client', 'test', 'fixtures', 'debugpy-fixture'), extensionsDir);
  try {
    return await runExtensionTests({
      label: 'integration',
      folder: workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: fromRoot(testsEntry),
      extensionsDir,
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
