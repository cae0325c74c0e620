// code-server (VS Code in a browser, with a real Node extension host) for integration tests and
// `npm start`. It is installed on first use into .cache/ rather than listed in package.json:
// its postinstall builds native modules, must run as root with unsafe-perm here, and would
// otherwise download ripgrep from the internet (see shared/facts/offline-vscode-testing.md).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDir } from './paths.mjs';
import { envWithoutNpmConfig, runCommand, runChecked } from './run-command.mjs';
import { formatSeconds, makeLogger } from './log.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
// The @vscode/ripgrep release bundled by that code-server version, and the ripgrep build its
// postinstall would download; it looks in $TMPDIR/<cache dir>/<asset> before going online.
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_BUILD = 'v13.0.0-10';

const installDir = path.join(cacheDir, 'code-server');
const packageDir = path.join(installDir, 'node_modules', 'code-server');
const entryPoint = path.join(packageDir, 'out', 'node', 'entry.js');
const installLog = path.join(cacheDir, 'code-server-install.log');
const completeMarker = path.join(installDir, '.mpscope-install-complete');

const log = makeLogger('code-server');

/** Files whose absence means an interrupted or failed install. */
function essentialFiles(root) {
  const pkg = path.join(root, 'node_modules', 'code-server');
  return [
    path.join(pkg, 'out', 'node', 'entry.js'),
    path.join(pkg, 'lib', 'vscode', 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    path.join(pkg, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    path.join(pkg, 'lib', 'vscode', 'extensions', 'node_modules'),
  ];
}

function installedVersion(root) {
  try {
    const manifest = path.join(root, 'node_modules', 'code-server', 'package.json');
    return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
  } catch {
    return undefined;
  }
}

function isInstalled() {
  return (
    fs.existsSync(completeMarker) &&
    installedVersion(installDir) === CODE_SERVER_VERSION &&
    essentialFiles(installDir).every((file) => fs.existsSync(file))
  );
}

export function findOnPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Says, in terms of Debian packages, what the machine lacks to build code-server. */
function missingPrerequisites() {
  const problems = [];
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) {
    problems.push(`code-server ${CODE_SERVER_VERSION} requires Node 20, this is Node ${process.versions.node}`);
  }
  if (process.platform === 'linux' && !findOnPath('rg')) {
    problems.push('ripgrep (`rg`) is not on PATH: install the Debian package `ripgrep`');
  }
  if (process.platform === 'linux' && !findOnPath('krb5-config') && !fs.existsSync('/usr/include/gssapi/gssapi.h')) {
    problems.push('Kerberos headers are missing (code-server builds a kerberos addon): install the Debian package `libkrb5-dev`');
  }
  for (const [tool, debianPackage] of [['make', 'make'], ['g++', 'g++'], ['python3', 'python3']]) {
    if (!findOnPath(tool)) problems.push(`\`${tool}\` is not on PATH (needed to build native modules): install the Debian package \`${debianPackage}\``);
  }
  return problems;
}

function ripgrepTarget() {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
  return arch ? `${arch}-unknown-linux-musl` : undefined;
}

/**
 * Puts the machine's own ripgrep where @vscode/ripgrep's postinstall looks for its download,
 * so the install needs no internet. Returns the directory to use as TMPDIR.
 */
async function prepareRipgrepCache() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-rg-'));
  const target = ripgrepTarget();
  const rg = findOnPath('rg');
  if (process.platform !== 'linux' || !target || !rg) return tmp;
  const staging = path.join(tmp, 'staging');
  fs.mkdirSync(staging);
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  const cache = path.join(tmp, RIPGREP_CACHE_DIR);
  fs.mkdirSync(cache);
  await runChecked('tar', ['-czf', path.join(cache, `ripgrep-${RIPGREP_BUILD}-${target}.tar.gz`), '-C', staging, 'rg']);
  return tmp;
}

async function installInto(staging) {
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'mpscope-code-server', private: true, description: 'installed by scripts/lib/code-server.mjs' }, null, 2),
  );
  const tmp = await prepareRipgrepCache();
  try {
    const env = envWithoutNpmConfig({
      TMPDIR: tmp,
      // code-server's postinstall refuses to run as root without this
      npm_config_unsafe_perm: 'true',
      // node-pty's postinstall runs `npx node-gyp`, which waits for a confirmation otherwise
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    });
    const logStream = fs.createWriteStream(installLog, { flags: 'a' });
    logStream.write(`\n==== npm install code-server@${CODE_SERVER_VERSION} in ${staging} at ${new Date().toISOString()}\n`);
    const started = Date.now();
    const heartbeat = setInterval(() => log.info(`still installing (${formatSeconds(Date.now() - started)})…`), 20_000);
    let result;
    try {
      result = await runCommand('npm', ['install', '--prefix', staging, `code-server@${CODE_SERVER_VERSION}`], {
        cwd: staging,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        onOutput: (chunk) => logStream.write(chunk),
      });
    } finally {
      clearInterval(heartbeat);
      await new Promise((resolve) => logStream.end(resolve));
    }
    if (result.code !== 0) return `npm install exited with ${result.code}`;
    const missing = essentialFiles(staging).filter((file) => !fs.existsSync(file));
    if (missing.length > 0) {
      return `npm install finished but its install scripts did not produce:\n  ${missing.join('\n  ')}`;
    }
    const version = await runChecked(process.execPath, [path.join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js'), '--version'], {
      env: cleanEnvironment(),
    });
    if (!version.includes(CODE_SERVER_VERSION)) return `code-server --version printed ${JSON.stringify(version.trim())}`;
    return undefined;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Installs code-server into .cache/code-server when it is missing or broken; returns the path of
 * its entry script (run it with this Node). Idempotent: a complete install is left alone.
 */
export async function ensureCodeServer() {
  if (isInstalled()) return entryPoint;
  const problems = missingPrerequisites();
  if (problems.length > 0) {
    throw new Error(`cannot install code-server ${CODE_SERVER_VERSION}:\n  - ${problems.join('\n  - ')}`);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  // Install beside the final folder and rename at the end, so an interrupted install never
  // leaves a half-built code-server that looks usable.
  const staging = `${installDir}.partial-${process.pid}`;
  const started = Date.now();
  const why = fs.existsSync(installDir) ? 'the copy there is incomplete or another version' : 'first use';
  log.info(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), installDir) || installDir} (${why}; about a minute; log: ${installLog})`);
  let failure;
  for (let attempt = 1; attempt <= 2; attempt++) {
    failure = await installInto(staging);
    if (!failure) break;
    // The registry is the only network here; one retry absorbs a transient failure.
    if (attempt === 1) log.warn(`install attempt failed (${failure.split('\n')[0]}); retrying once`);
  }
  if (failure) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`installing code-server ${CODE_SERVER_VERSION} failed: ${failure}\n--- last lines of ${installLog}:\n${tail(installLog, 40)}`);
  }
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.renameSync(staging, installDir);
  fs.writeFileSync(completeMarker, `${CODE_SERVER_VERSION}\n`);
  log.info(`code-server ${CODE_SERVER_VERSION} installed in ${formatSeconds(Date.now() - started)}`);
  return entryPoint;
}

/** Last `lines` lines of a text file ('' when it does not exist). */
export function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * The environment without variables that change code-server's behaviour: npm's configuration,
 * and VS Code's own (with VSCODE_IPC_HOOK_CLI set, code-server would hand the folder to the
 * VS Code whose terminal this runs in instead of starting).
 */
function cleanEnvironment() {
  const env = envWithoutNpmConfig();
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key.startsWith('ELECTRON_')) delete env[key];
  }
  return env;
}

function writeUserSettings(userDataDir, settings) {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Settings that keep a test workbench quiet and deterministic. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'terminal.integrated.enablePersistentSessions': false,
  'files.hotExit': 'off',
};

/**
 * Starts code-server on 127.0.0.1 with a free port. Resolves once it listens, with its URL,
 * its `host:port` (for vscode-remote:// URIs) and stop(). Its output goes to `logFile`.
 */
export async function startCodeServer({ folder, userDataDir, extensionsDir, logFile, port = 0, settings = quietSettings, extraArgs = [], env = {} }) {
  const entry = await ensureCodeServer();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const configFile = path.join(userDataDir, 'config.yaml');
  // An explicit config keeps code-server from writing ~/.config/code-server/config.yaml.
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // null keeps the user's own settings (npm start); tests always start from known settings.
  if (settings !== null) writeUserSettings(userDataDir, settings);

  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--config', configFile,
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  // Its own process group, so stop() also ends the extension host and language servers it forks.
  // `env` reaches the extension host too (tests read their settings from it).
  const child = spawn(process.execPath, args, { env: { ...cleanEnvironment(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.on('exit', killOnExit);

  let exited = false;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      process.off('exit', killOnExit);
      resolve({ code, signal });
    });
  });

  const url = await new Promise((resolve, reject) => {
    let pending = '';
    let settled = false;
    const timer = setTimeout(() => fail(`code-server did not report "HTTP server listening on" within 90 s`), 90_000);
    function fail(message) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup('SIGKILL');
      reject(new Error(`${message}\n--- ${logFile}:\n${tail(logFile, 40)}`));
    }
    const onData = (chunk) => {
      logStream.write(chunk);
      pending += chunk.toString();
      const match = /HTTP server listening on (http:\/\/[^\s]+)/.exec(pending);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
      if (pending.length > 100_000) pending = pending.slice(-1000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => fail(`could not start code-server: ${error.message}`));
    exitPromise.then(({ code, signal }) => fail(`code-server exited before listening (code ${code}, signal ${signal})`));
  });

  const parsed = new URL(url);
  return {
    url: `${parsed.protocol}//${parsed.host}/`,
    host: parsed.host,
    logFile,
    userDataDir,
    /** Resolves with {code, signal} when code-server ends, for whatever reason. */
    exited: exitPromise,
    async stop() {
      if (!exited) {
        killGroup('SIGTERM');
        const timeout = new Promise((resolve) => setTimeout(resolve, 10_000, 'timeout'));
        if ((await Promise.race([exitPromise, timeout])) === 'timeout') killGroup('SIGKILL');
        await exitPromise;
      }
      // Children that ignored SIGTERM (e.g. a language server mid-request) must not outlive us.
      killGroup('SIGKILL');
      await new Promise((resolve) => logStream.end(resolve));
    },
  };
}

/** Installs a .vsix into an extensions folder with code-server's CLI; throws unless it worked. */
export async function installExtension({ vsix, userDataDir, extensionsDir }) {
  const entry = await ensureCodeServer();
  const output = await runChecked(
    process.execPath,
    [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
    { env: cleanEnvironment() },
  );
  if (!/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} did not report success:\n${output}`);
  }
  return output;
}
