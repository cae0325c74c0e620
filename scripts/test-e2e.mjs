// End-to-end test through the user interface: code-server with this repository as the extension
// under development, driven in headless Chromium by Playwright the way a user works — Command
// Palette, Quick Open, the Processes view, the Timeline webview, the editor's squiggles and the
// Problems panel. It checks what is on the screen (not the extension's API) and saves pictures.
//
//   node scripts/test-e2e.mjs                 test; screenshots and logs in test-results/e2e/
//   node scripts/test-e2e.mjs --screenshots   also copy the README's pictures to media/screenshots/
//
// Deterministic on purpose: a fixed window size, theme and settings, a scratch copy of samples/
// named `samples`, notifications silenced; every step waits for the state it needs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from './lib/build.mjs';
import { launchChromium } from './lib/chromium.mjs';
import { ensureCodeServer, quietSettings, startCodeServer } from './lib/code-server.mjs';
import { copyLogs, dumpLogs } from './lib/extension-tests.mjs';
import { formatSeconds, makeLogger } from './lib/log.mjs';
import { fromRoot, repoRoot, resultsDir } from './lib/paths.mjs';
import { workbenchUrl } from './lib/workbench-url.mjs';
import {
  chooseOption,
  collapseSection,
  focusEditor,
  openFile,
  problemRows,
  quickInput,
  resizeSideBar,
  runCommand,
  selectColorTheme,
  silenceNotifications,
  treeRowNames,
  treeRows,
  treeView,
  UI_TIMEOUT_MS,
  waitForWorkbench,
  webviewContent,
} from './lib/workbench-ui.mjs';

const log = makeLogger('e2e');
const outputDir = path.join(resultsDir, 'e2e');
const readmeScreenshotsDir = fromRoot('media', 'screenshots');
const copyToReadme = process.argv.includes('--screenshots');

const viewport = { width: 1280, height: 800 };

/** What the pictures should look like, beyond the quiet defaults every test workbench gets. */
const e2eSettings = {
  ...quietSettings,
  'workbench.colorTheme': 'Default Dark Modern',
  'window.autoDetectColorScheme': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  // No fade-in: a picture taken as a hover appears must not catch it half transparent.
  'workbench.reduceMotion': 'on',
  'workbench.hover.delay': 200,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'editor.cursorBlinking': 'solid',
  'editor.fontSize': 14,
  'breadcrumbs.enabled': false,
  // A click selects a tree row without folding it (the test selects the session it shows).
  'workbench.tree.expandMode': 'doubleClick',
  'terminal.integrated.cursorBlinking': false,
  'terminal.integrated.fontSize': 13,
};

/**
 * The runs the test makes, and the rows the Processes view must show for each (row names are
 * `label description`: `name pid · state · exit or signal · duration …`).
 * - pool_failing_task.py: a Pool whose map has one task raising ValueError; the tree groups the
 *   workers under their Pool and lists the failed task under the worker that ran it (which
 *   worker is up to multiprocessing).
 * - exit_codes.py: four children that end four ways (exit 0, sys.exit(3), an exception,
 *   terminate()): exit codes, failures and a signal in one run.
 */
const poolRun = {
  file: 'pool_failing_task.py',
  // Main and two workers; a count above it would be a process shown twice.
  session: /^pool_failing_task\.py\b.*\bended\b.*\b3 processes\b/,
  processes: 3,
  rows: [
    ['the Pool, with its failed task counted', /^Pool\b.*\b1 failed\b/],
    ['the worker that ran the failed task', /^\w*PoolWorker-\d+ \d+ · .*\b1 failed\b/],
    ['the failed task, with its exception', /^parse\b.*\bfailed\b.*\bValueError\b/],
  ],
};
const exitCodesRun = {
  file: 'exit_codes.py',
  session: /^exit_codes\.py\b.*\bended\b.*\b5 processes\b/,
  processes: 5,
  rows: [
    ['the main process', /^MainProcess \d+ · exited · exit 0\b/],
    ['the child that returns', /^finishes \d+ · exited · exit 0\b/],
    ['the child that calls sys.exit(3)', /^exits-3 \d+ · failed · exit 3\b/],
    ['the child that raises', /^crashes \d+ · failed · exit 1\b/],
    ['the child terminated by its parent', /^terminated \d+ · killed · SIGTERM\b/],
  ],
};
/** The row hovered for its tooltip, and what the tooltip must say. */
const hovered = { row: /^crashes \d+/, tooltip: /ValueError/ };
/** The session the Timeline shows. */
const timelineRun = exitCodesRun;

/** The titles of the walkthrough's steps, as package.json contributes them. */
const walkthroughSteps = JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8')).contributes.walkthroughs[0].steps.map((step) => step.title);

/** Pictures kept in test-results/e2e/; the README's are copied to media/screenshots/ on request. */
const readmeScreenshots = ['processes', 'timeline', 'diagnostics'];

async function screenshot(page, name) {
  const file = path.join(outputDir, `${name}.png`);
  // Finite CSS animations (a hover fading in) are fast-forwarded to their end for the picture.
  await page.screenshot({ path: file, type: 'png', animations: 'disabled' });
  log.info(`screenshot ${path.relative(repoRoot, file)}`);
  return file;
}

/** Waits for each row; on timeout the error lists the rows the tree did show. */
async function expectRows(tree, expected) {
  for (const [what, pattern] of expected) {
    try {
      await treeRows(tree, pattern).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    } catch (error) {
      const shown = await treeRowNames(tree).catch(() => []);
      throw new Error(`the Processes view shows no row for ${what} (${pattern}); it shows:\n  ${shown.join('\n  ') || '(no rows)'}\n${error.message}`);
    }
  }
}

/**
 * The Processes view shares the Run and Debug side bar with the "Run" section: fold that one and
 * widen the side bar, so every row is drawn (the tree draws only the rows in sight) and the
 * descriptions are not cut.
 */
async function showProcessesView(page) {
  await runCommand(page, 'View: Show Run and Debug');
  await collapseSection(page, 'Run');
  await resizeSideBar(page, 520);
}

async function runSample(page, run) {
  await openFile(page, run.file);
  await runCommand(page, 'mpscope: Run Python File with Process Tree');
  await expectRows(treeView(page, 'Processes'), [[`the session of ${run.file}, ended`, run.session], ...run.rows]);
}

async function pictureOfTheTree(page, tree) {
  await focusEditor(page);
  await screenshot(page, 'processes');
  // The tooltip of the failed child, a separate picture: it would cover the rows below it.
  await treeRows(tree, hovered.row).first().hover();
  const tooltip = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: hovered.tooltip }).first();
  await tooltip.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await screenshot(page, 'process-tooltip');
  await focusEditor(page);
  await tooltip.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

async function openTimeline(page, tree) {
  // Select the session, so "Show Timeline" shows it without asking which one.
  await treeRows(tree, timelineRun.session).first().click();
  await runCommand(page, 'mpscope: Show Timeline');
  const timeline = webviewContent(page);
  await timeline.locator('#canvas').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const status = timeline.locator('#status');
  const expectedStatus = new RegExp(`\\b${timelineRun.processes} processes\\b.*\\bended\\b`);
  try {
    await status.filter({ hasText: expectedStatus }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`the Timeline's status should say ${expectedStatus}, it says ${JSON.stringify(await status.textContent().catch(() => null))}\n${error.message}`);
  }
  await timeline.locator('#session option', { hasText: timelineRun.file }).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  await screenshot(page, 'timeline');
}

async function missingGuardDiagnostic(page) {
  await openFile(page, 'missing_guard.py');
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  const squiggle = editor.locator('.squiggly-error').first();
  await squiggle.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const problem = problemRows(page).filter({ hasText: 'MP001' }).first();
  try {
    await problem.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  } catch (error) {
    const shown = await problemRows(page).allInnerTexts().catch(() => []);
    throw new Error(`the Problems panel lists no MP001; it lists:\n  ${shown.join('\n  ') || '(nothing)'}\n${error.message}`);
  }

  // Hovering the squiggle shows the finding and its rule's explanation.
  const box = await squiggle.boundingBox();
  if (!box) throw new Error('the MP001 squiggle has no size');
  await page.mouse.move(box.x + Math.min(box.width / 2, 60), box.y + box.height / 2);
  await page.locator('.monaco-editor .monaco-hover, .monaco-hover').filter({ hasText: 'MP001' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await screenshot(page, 'diagnostics');
}

/** The walkthrough a new user is offered: its steps, and the example its first page shows. */
async function walkthrough(page) {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await quickInput(page).locator('.quick-input-box input').fill('mpscope');
  await chooseOption(page, quickInput(page).getByRole('option', { name: /^Get started with mpscope\b/ }).first());
  for (const step of walkthroughSteps) {
    await page.getByRole('button', { name: step }).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  }
  // The first step's page is Markdown, drawn in a webview beside the steps.
  await webviewContent(page).getByText('pool_demo.py').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await screenshot(page, 'walkthrough');
}

async function main() {
  await ensureBuilt(['dist/client.js', 'dist/server.js', 'media/timeline.js'], log);
  await ensureCodeServer();
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.mkdirSync(outputDir, { recursive: true });
  // The folder is named `samples` so the workbench (and the pictures) call it that.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-e2e-'));
  const workspace = path.join(scratch, 'samples');
  fs.cpSync(fromRoot('samples'), workspace, { recursive: true, filter: (source) => path.basename(source) !== '__pycache__' });
  const userDataDir = path.join(scratch, 'user-data');

  const started = Date.now();
  const consoleLog = fs.createWriteStream(path.join(outputDir, 'browser-console.log'));
  let server;
  let browser;
  let page;
  let failure;
  let current = 'start code-server';
  const step = async (name, action) => {
    current = name;
    const stepStarted = Date.now();
    const result = await action();
    log.info(`✔ ${name} (${formatSeconds(Date.now() - stepStarted)})`);
    return result;
  };
  try {
    server = await startCodeServer({
      folder: workspace,
      userDataDir,
      extensionsDir: path.join(scratch, 'extensions'),
      logFile: path.join(outputDir, 'code-server.log'),
      settings: e2eSettings,
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: 'dark', reducedMotion: 'reduce' });
    page = await context.newPage();
    page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
    const url = workbenchUrl({ baseUrl: server.url, host: server.host, folder: workspace, extensionDevelopmentPath: repoRoot });
    fs.writeFileSync(path.join(outputDir, 'workbench-url.txt'), `${url}\n`);

    await step('open the workbench', async () => {
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
      await waitForWorkbench(page, poolRun.file);
    });
    await step('dark theme, notifications silenced, a tall Processes view', async () => {
      await selectColorTheme(page, 'Dark Modern', 'vs-dark');
      await silenceNotifications(page);
      await showProcessesView(page);
    });
    for (const run of [poolRun, exitCodesRun]) {
      await step(`run ${run.file} from the Command Palette; the Processes view shows its processes`, () => runSample(page, run));
    }
    const tree = treeView(page, 'Processes');
    await step('the tooltip of the failed child names its exception', () => pictureOfTheTree(page, tree));
    await step('Show Timeline draws the session in its webview', () => openTimeline(page, tree));
    await step('missing_guard.py: MP001 squiggle, hover and Problems panel', () => missingGuardDiagnostic(page));
    await step('the walkthrough lists its steps and shows its first page', () => walkthrough(page));
  } catch (error) {
    failure = `step "${current}" failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
    if (page) await page.screenshot({ path: path.join(outputDir, 'failure.png') }).catch(() => undefined);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch((error) => log.warn(`stopping code-server: ${error.message}`));
    await new Promise((resolve) => consoleLog.end(resolve));
    copyLogs(userDataDir, path.join(outputDir, 'code-server-logs'));
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  if (failure) {
    log.error(failure);
    dumpLogs(log, outputDir, server?.logFile);
    log.info(`FAILED after ${formatSeconds(Date.now() - started)}; screenshot failure.png and logs in ${path.relative(process.cwd(), outputDir) || outputDir}`);
    return 1;
  }
  if (copyToReadme) {
    fs.mkdirSync(readmeScreenshotsDir, { recursive: true });
    for (const name of readmeScreenshots) {
      fs.copyFileSync(path.join(outputDir, `${name}.png`), path.join(readmeScreenshotsDir, `${name}.png`));
    }
    log.info(`copied ${readmeScreenshots.map((name) => `${name}.png`).join(', ')} to ${path.relative(repoRoot, readmeScreenshotsDir)}/`);
  }
  log.info(`passed in ${formatSeconds(Date.now() - started)}; screenshots and logs in ${path.relative(process.cwd(), outputDir) || outputDir}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
  },
);
