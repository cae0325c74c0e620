// Runs an extension's tests inside code-server: the workbench is opened in headless Chromium with
// the `payload` parameter, the tests run in the Node extension host, and the page reports the
// result through window.codeAutomationExit (as VS Code's own browser integration tests do).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium } from './chromium.mjs';
import { startCodeServer, tail } from './code-server.mjs';
import { formatSeconds, makeLogger } from './log.mjs';
import { resultsDir } from './paths.mjs';
import { workbenchUrl } from './workbench-url.mjs';

function formatLogArgument(value) {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Tests ask for a screenshot of the live workbench by logging `mpscope-screenshot:<name>`; the
 * picture is written to <results>/<name>.png (atomically, so a test can wait for the file).
 * The folder reaches the extension host in this environment variable.
 */
const screenshotDirVariable = 'MPSCOPE_TEST_SCREENSHOT_DIR';
const screenshotRequest = /^mpscope-screenshot:([\w.-]+)$/;

async function takeScreenshot(page, outputDir, name, log) {
  const target = path.join(outputDir, `${name}.png`);
  const partial = `${target}.partial`;
  try {
    await page.screenshot({ path: partial, type: 'png' });
    fs.renameSync(partial, target);
  } catch (error) {
    log.warn(`screenshot ${name} failed: ${error.message}`);
  }
}

/** The workbench asks the extension gallery for updates; offline that fails on every run. */
function isExpectedOfflineNoise(text) {
  return /ENOTFOUND open-vsx\.org/.test(text);
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** The extension host's own log and the output channels it wrote (mpscope's among them). */
function extensionHostLogs(logsDir) {
  return listFiles(logsDir).filter((file) => /exthost/i.test(path.relative(logsDir, file)));
}

/**
 * @param {object} options
 * @param {string} options.label             name of the run; results go to test-results/<label>/
 * @param {string} options.folder            workspace folder to open
 * @param {string} options.extensionDevelopmentPath
 * @param {string} options.extensionTestsPath  module exporting run(): Promise<void>
 * @param {string} [options.extensionsDir]   installed extensions (default: an empty folder)
 * @param {number} [options.timeoutMs]       for the whole run, from page load to the tests' exit
 * @returns {Promise<number>} the tests' exit code (0 = passed)
 */
export async function runExtensionTests(options) {
  const log = makeLogger(options.label);
  const timeoutMs = options.timeoutMs ?? Number(process.env.MPSCOPE_TEST_TIMEOUT_MS || 10 * 60_000);
  const outputDir = path.join(resultsDir, options.label);
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.mkdirSync(outputDir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `mpscope-${options.label}-`));
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(scratch, 'extensions');
  const consoleLog = fs.createWriteStream(path.join(outputDir, 'browser-console.log'));
  const logStreams = [consoleLog];

  const started = Date.now();
  let server;
  let browser;
  let exitCode = 1;
  let failure;
  let timer;
  try {
    server = await startCodeServer({
      folder: options.folder,
      userDataDir,
      extensionsDir,
      logFile: path.join(outputDir, 'code-server.log'),
      env: { [screenshotDirVariable]: outputDir },
    });
    log.info(`code-server listening on ${server.url} (${formatSeconds(Date.now() - started)})`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();

    let screenshots = Promise.resolve();
    let finish;
    const finished = new Promise((resolve) => { finish = resolve; });
    const automationLog = fs.createWriteStream(path.join(outputDir, 'automation.log'));
    logStreams.push(automationLog);
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = (Array.isArray(args) ? args : [args]).map(formatLogArgument).join(' ');
      automationLog.write(`[${type}] ${text}\n`);
      const request = screenshotRequest.exec(text);
      if (request) {
        screenshots = screenshots.then(() => takeScreenshot(page, outputDir, request[1], log));
        return;
      }
      if (isExpectedOfflineNoise(text)) return;
      (type === 'error' ? console.error : console.log)(`  ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      for (const entry of Array.isArray(logs) ? logs : []) {
        const target = path.join(outputDir, 'workbench-logs', path.normalize(entry.relativePath).replace(/^(\.\.[/\\])+/, ''));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, entry.contents);
      }
      finish({ kind: 'exit', code });
    });
    page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
    page.on('crash', () => finish({ kind: 'crash' }));

    const url = workbenchUrl({
      baseUrl: server.url,
      host: server.host,
      folder: options.folder,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      extensionTestsPath: options.extensionTestsPath,
    });
    fs.writeFileSync(path.join(outputDir, 'workbench-url.txt'), `${url}\n`);
    timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    log.info(`workbench opened; running ${path.basename(options.extensionTestsPath)} in the extension host`);
    const outcome = await finished;
    await screenshots;

    await page.screenshot({ path: path.join(outputDir, 'workbench.png') }).catch((error) => log.warn(`screenshot failed: ${error.message}`));
    if (outcome.kind === 'exit') {
      exitCode = typeof outcome.code === 'number' ? outcome.code : 1;
      if (exitCode !== 0) failure = `the tests reported failure (exit code ${outcome.code})`;
    } else if (outcome.kind === 'timeout') {
      failure = `no result after ${formatSeconds(timeoutMs)} (set MPSCOPE_TEST_TIMEOUT_MS to change the limit)`;
    } else {
      failure = 'the browser page crashed';
    }
  } catch (error) {
    failure = error instanceof Error ? error.stack ?? error.message : String(error);
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => undefined);
    await server?.stop().catch((error) => log.warn(`stopping code-server: ${error.message}`));
    await Promise.all(logStreams.map((stream) => new Promise((resolve) => stream.end(resolve))));
    copyLogs(userDataDir, path.join(outputDir, 'code-server-logs'));
  }

  if (failure) {
    exitCode = exitCode === 0 ? 1 : exitCode;
    log.error(failure);
    dumpLogs(log, outputDir, server?.logFile);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  log.info(`${failure ? 'FAILED' : 'passed'} in ${formatSeconds(Date.now() - started)}; screenshot and logs in ${path.relative(process.cwd(), outputDir) || outputDir}`);
  return exitCode;
}

export function copyLogs(userDataDir, target) {
  const source = path.join(userDataDir, 'logs');
  if (fs.existsSync(source)) fs.cpSync(source, target, { recursive: true });
}

export function dumpLogs(log, outputDir, codeServerLog) {
  const sections = [];
  if (codeServerLog) sections.push([codeServerLog, 60]);
  for (const file of extensionHostLogs(path.join(outputDir, 'code-server-logs'))) sections.push([file, 120]);
  sections.push([path.join(outputDir, 'browser-console.log'), 40]);
  for (const [file, lines] of sections) {
    const text = tail(file, lines).trim();
    if (!text) continue;
    log.info(`----- last ${lines} lines of ${file}`);
    console.log(text);
  }
  log.info('----- end of logs');
}
