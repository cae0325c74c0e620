// The Timeline's webview page and script in a real browser (headless Chromium, as the
// integration tests use it): served with the extension's Content-Security-Policy, fed the
// messages the panel sends, and used with mouse and keyboard. It proves the script runs under the
// strict policy without a single violation, that text from the program stays text, and that
// clicks and keys reach the host as "reveal" messages. It also prints what drawing 1,000 lanes
// costs (printed, not asserted).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostMessage, LaneRow } from '../../src/timeline/messages';
import { timelineHtml } from '../../src/views/timeline/timelineHtml';

const repo = path.resolve(__dirname, '../../../..');
const media = path.join(repo, 'media');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The flags of scripts/lib/chromium.mjs: no network, no GPU on a headless server.
const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const HOSTILE = '<img src=x onerror="window.pwned=1">"quoted" & <b>bold</b>';

/** Stands in for VS Code: records what the page posts and keeps its state. */
const fakeVsCode = `
  window.sent = [];
  window.violations = [];
  window.savedState = undefined;
  document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.sent.push(message),
    getState: () => window.savedState,
    setState: (state) => { window.savedState = state; },
  });
`;

function lane(key: string, more: Partial<LaneRow> = {}): LaneRow {
  return {
    key,
    pid: Number(key),
    name: `proc-${key}`,
    depth: key === '1' ? 0 : 1,
    state: 'exited',
    start: 0.1,
    end: 2,
    outcome: 'exit 0',
    details: [`proc-${key} — pid ${key}`, 'State: exited (exit 0)'],
    markers: [{ kind: 'exit', t: 2, label: 'exit 0' }],
    tasks: [],
    ...more,
  };
}

const head = { id: 's1', label: `run of ${HOSTILE}`, startedAt: 1000, endedAt: 3, now: 3 };
const lanes: LaneRow[] = [
  lane('1'),
  lane('2', { name: HOSTILE, details: [`${HOSTILE} — pid 2`, 'State: failed (exit 1)'], state: 'failed', markers: [{ kind: 'exception', t: 1.5, label: `ValueError: ${HOSTILE}` }] }),
  lane('3', {
    tasks: [
      { id: 'a', start: 0.2, end: 0.6, state: 'done', label: 'square(1)' },
      { id: 'b', start: 0.7, end: 1.1, state: 'failed', label: 'square(2): ZeroDivisionError' },
    ],
  }),
];

describe('timeline webview in Chromium', () => {
  let server: http.Server;
  let origin = '';
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async () => {
    assert.ok(fs.existsSync(path.join(media, 'timeline.js')), 'media/timeline.js is missing: run `npm run build`');
    server = http.createServer((request, response) => {
      const name = (request.url ?? '/').split('?')[0];
      if (name === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          timelineHtml({ cspSource: origin, nonce: 'testnonce123', scriptUri: `${origin}/media/timeline.js`, styleUri: `${origin}/media/timeline.css` }),
        );
        return;
      }
      const file = path.join(media, path.basename(name ?? ''));
      if (name?.startsWith('/media/') && fs.existsSync(file)) {
        response.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' });
        response.end(fs.readFileSync(file));
        return;
      }
      // The browser asks for /favicon.ico on its own; anything else missing is a real error.
      response.writeHead(name === '/favicon.ico' ? 204 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (!fs.existsSync(chromiumPath)) {
      return;
    }
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
    page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.addInitScript(fakeVsCode);
    await page.goto(`${origin}/`);
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function post(message: HostMessage): Promise<void> {
    // Page code runs as strings: this file is compiled for Node, without the DOM's types.
    await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  }

  async function sent(): Promise<Array<Record<string, unknown>>> {
    return (await page.evaluate('window.sent')) as Array<Record<string, unknown>>;
  }

  async function waitForSent(what: string, predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = (await sent()).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; sent: ${JSON.stringify(await sent()).slice(0, 500)}`);
      await page.waitForTimeout(20);
    }
  }

  /**
   * Polls an expression in the page until it is true. (Playwright's waitForFunction would eval
   * it inside the page, which the page's own policy rightly forbids.)
   */
  async function waitInPage(condition: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await page.evaluate(condition))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
      await page.waitForTimeout(20);
    }
  }

  /** Canvas position of the middle of lane `index`, at fraction `at` of the plot's width. */
  async function lanePoint(index: number, at: number): Promise<{ x: number; y: number }> {
    const box = await page.locator('#canvas').boundingBox();
    assert.ok(box);
    const labelWidth = Math.min(240, Math.max(120, Math.floor(box.width * 0.3)));
    return { x: box.x + labelWidth + (box.width - labelWidth) * at, y: box.y + 24 + index * 22 + 11 };
  }

  it('loads under the strict policy, says it is ready, and draws what it is sent', async (t) => {
    if (!browser) {
      t.skip(`no Chromium at ${chromiumPath}`);
      return;
    }
    await waitForSent('ready', (message) => message.type === 'ready');
    await post({ type: 'sessions', sessions: [{ id: 's1', label: head.label, ended: true }], shown: 's1' });
    await post({ type: 'reset', head, order: lanes.map((l) => l.key), lanes });
    const rendered = await waitForSent('rendered', (message) => message.type === 'rendered' && message.lanes === 3);
    assert.deepEqual(rendered, { type: 'rendered', sessionId: 's1', lanes: 3, bars: 5, markers: 3 });
    assert.deepEqual(await page.evaluate('window.violations'), []);
    assert.deepEqual(consoleErrors, []);
  });

  it('shows text from the program as text, never as markup', async (t) => {
    if (!browser) {
      t.skip(`no Chromium at ${chromiumPath}`);
      return;
    }
    assert.equal(await page.locator('#session option').first().textContent(), head.label);
    const point = await lanePoint(1, 0.3);
    await page.mouse.move(point.x, point.y);
    const tooltip = page.locator('#tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await tooltip.locator('div').first().textContent(), `${HOSTILE} — pid 2`);
    assert.equal(await page.locator('img, b').count(), 0);
    assert.equal(await page.evaluate('window.pwned'), undefined);
    // Hover over the exception marker: its label, as text.
    const marker = await lanePoint(1, 1.5 / 3.1);
    const box = await page.locator('#canvas').boundingBox();
    assert.ok(box);
    // The marker's exact x: the view fits [first start 0.1, end 3] with a 2 % margin each side.
    const labelWidth = Math.min(240, Math.max(120, Math.floor(box.width * 0.3)));
    const plotWidth = box.width - labelWidth;
    const span = 3 - 0.1;
    const secondsPerPixel = (span * 1.04) / plotWidth;
    const markerX = box.x + labelWidth + (1.5 - (0.1 - span * 0.02)) / secondsPerPixel;
    await page.mouse.move(markerX, marker.y);
    await waitInPage(`document.querySelector('#tooltip div')?.textContent?.startsWith('ValueError')`);
    assert.equal(await tooltip.locator('div').first().textContent(), `ValueError: ${HOSTILE}`);
    assert.equal(await page.locator('img, b').count(), 0);
  });

  it('asks the host to reveal a process on click, and on Enter after moving with the arrow keys', async (t) => {
    if (!browser) {
      t.skip(`no Chromium at ${chromiumPath}`);
      return;
    }
    const point = await lanePoint(2, 0.2);
    await page.mouse.click(point.x, point.y);
    await waitForSent('reveal of lane 3', (message) => message.type === 'reveal' && message.key === '3');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const reveal = await waitForSent('reveal of lane 2', (message) => message.type === 'reveal' && message.key === '2');
    assert.deepEqual(reveal, { type: 'reveal', sessionId: 's1', key: '2' });
  });

  it('zooms with the buttons and ctrl+wheel, pans with keys, and fits again', async (t) => {
    if (!browser) {
      t.skip(`no Chromium at ${chromiumPath}`);
      return;
    }
    type State = { viewport: { start: number; secondsPerPixel: number }; follow: boolean };
    const state = async (): Promise<State> => (await page.evaluate('window.savedState')) as State;
    const until = (condition: string): Promise<void> => waitInPage(condition);
    const fitted = await state();
    await page.click('#zoom-in');
    await until(`window.savedState.viewport.secondsPerPixel < ${fitted.viewport.secondsPerPixel * 0.7}`);
    assert.equal((await state()).follow, false);
    const point = await lanePoint(0, 0.5);
    await page.mouse.move(point.x, point.y);
    const beforeWheel = (await state()).viewport.secondsPerPixel;
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await until(`window.savedState.viewport.secondsPerPixel < ${beforeWheel}`);
    const beforePan = (await state()).viewport.start;
    await page.locator('#chart').focus();
    await page.keyboard.press('ArrowRight');
    await until(`window.savedState.viewport.start > ${beforePan}`);
    await page.click('#fit');
    await until(`Math.abs(window.savedState.viewport.secondsPerPixel - ${fitted.viewport.secondsPerPixel}) < 1e-12`);
    assert.equal((await state()).follow, true);
  });

  it('applies updates and draws 1,000 lanes (cost printed)', async (t) => {
    if (!browser) {
      t.skip(`no Chromium at ${chromiumPath}`);
      return;
    }
    await post({ type: 'update', head, order: null, lanes: [lane('3', { state: 'killed', markers: [] })], removed: ['1'] });
    await waitForSent('rendered after the update', (message) => message.type === 'rendered' && message.markers === 1);

    const many: LaneRow[] = Array.from({ length: 1000 }, (_, index) =>
      lane(String(index + 10), {
        depth: index === 0 ? 0 : 1 + (index % 3),
        start: index / 1000,
        end: index % 7 === 0 ? null : 1 + index / 1000,
        state: index % 7 === 0 ? 'running' : 'exited',
        tasks: index % 10 === 0 ? Array.from({ length: 200 }, (_, n) => ({ id: `${index}-${n}`, start: index / 1000 + n * 0.004, end: index / 1000 + n * 0.004 + 0.003, state: 'done' as const, label: `t${n}` })) : [],
      }),
    );
    const bigHead = { id: 's2', label: 'big', startedAt: 2000, endedAt: null, now: 2.5 };
    const message: HostMessage = { type: 'reset', head: bigHead, order: many.map((l) => l.key), lanes: many };
    // The message is built in the page first, so the measurement is the page's own work:
    // receiving (structured clone), keeping the lanes, fitting the view and drawing.
    await page.evaluate(`window.bigMessage = ${JSON.stringify(message)}; undefined`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async (): Promise<number> => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0;
    const busyBeforeReset = await busy();
    await page.evaluate(`window.postMessage(window.bigMessage, '*')`);
    await waitForSent('rendered 1,000 lanes', (sentMessage) => sentMessage.type === 'rendered' && sentMessage.lanes === 1000);
    const resetMs = ((await busy()) - busyBeforeReset) * 1000;
    // Each round scrolls one lane and waits for the frame that draws it; the main thread's busy
    // time (Chromium's TaskDuration metric) over the rounds is the cost of a redraw.
    const rounds = 50;
    const busyBefore = await busy();
    await page.evaluate(`(async () => {
      const canvas = document.getElementById('canvas');
      for (let index = 0; index < ${rounds}; index++) {
        canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: 22, bubbles: true, cancelable: true }));
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    })()`);
    const drawMs = ((await busy()) - busyBefore) * 1000 / rounds;
    console.log(
      `timeline webview, 1,000 lanes (100 with 200 tasks each): reset message ${(JSON.stringify(message).length / 1024).toFixed(0)} KiB, ` +
        `main-thread time to receive and draw it ${resetMs.toFixed(0)} ms (polling included), main-thread time per scroll redraw ≈ ${drawMs.toFixed(2)} ms`,
    );
    assert.deepEqual(await page.evaluate('window.violations'), []);
    assert.deepEqual(consoleErrors, []);
  });
});
