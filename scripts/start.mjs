// `npm start` (after `npm run build`): a local VS Code (code-server) on 127.0.0.1 with this
// extension loaded from the working tree and samples/ open. Runs until Ctrl-C.
// Options: --port N (default: a free port).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from './lib/code-server.mjs';
import { makeLogger } from './lib/log.mjs';
import { cacheDir, fromRoot, repoRoot } from './lib/paths.mjs';
import { workbenchUrl } from './lib/workbench-url.mjs';

const log = makeLogger('start');

/** Written once; after that the settings are the user's. */
const firstRunSettings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'security.workspace.trust.enabled': false,
};

function parsePort(argv) {
  const index = argv.indexOf('--port');
  if (index < 0) return 0;
  const port = Number(argv[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log.error(`--port needs a number from 0 to 65535, got ${JSON.stringify(argv[index + 1])}`);
    process.exit(2);
  }
  return port;
}

async function main() {
  const port = parsePort(process.argv.slice(2));
  for (const bundle of ['dist/client.js', 'dist/server.js']) {
    if (!fs.existsSync(fromRoot(bundle))) throw new Error(`${bundle} is missing: run \`npm run build\` (or use \`npm start\`, which builds first)`);
  }
  // Kept between runs, so settings and open editors survive a restart.
  const home = path.join(cacheDir, 'start');
  const userSettings = path.join(home, 'user-data', 'User', 'settings.json');
  if (!fs.existsSync(userSettings)) {
    fs.mkdirSync(path.dirname(userSettings), { recursive: true });
    fs.writeFileSync(userSettings, JSON.stringify(firstRunSettings, null, 2));
  }
  const server = await startCodeServer({
    folder: fromRoot('samples'),
    userDataDir: path.join(home, 'user-data'),
    extensionsDir: path.join(home, 'extensions'),
    logFile: path.join(home, 'code-server.log'),
    port,
    settings: null,
  });
  const url = workbenchUrl({ baseUrl: server.url, host: server.host, folder: fromRoot('samples'), extensionDevelopmentPath: repoRoot });
  console.log(`
mpscope is running in a local VS Code (code-server ${server.host}).
Open this URL in a browser (it loads the extension from this working tree):

  ${url}

Log: ${server.logFile}
Press Ctrl-C to stop.
`);

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping code-server…`);
    await server.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    log.error(`code-server exited on its own (code ${code}, signal ${signal}); see ${server.logFile}`);
    process.exit(1);
  });
}

main().catch((error) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
