// The pure parts of the Timeline webview: the time axis (zoom, pan, fit, ticks), what is under
// the pointer and what the hover says, the page's Content-Security-Policy, and the checks on
// messages coming back from the webview.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstTaskFrom, hitInLane, hoverLines, taskAt } from '../../src/timeline/hitTest';
import type { LaneRow, TaskRow } from '../../src/timeline/messages';
import { parseWebviewMessage } from '../../src/timeline/messages';
import { fitRange, formatDuration, formatOffset, niceStep, panBy, ticks, timeAt, xOf, zoomAt } from '../../src/timeline/viewport';
import { attribute, contentSecurityPolicy, newNonce, timelineHtml } from '../../src/views/timeline/timelineHtml';

describe('timeline view: time axis', () => {
  it('zooms around the pointer: the time under it stays under it', () => {
    const viewport = { start: 2, secondsPerPixel: 0.01 };
    for (const factor of [2, 0.5, 1.5]) {
      for (const anchor of [0, 137, 800]) {
        const zoomed = zoomAt(viewport, factor, anchor);
        assert.ok(Math.abs(timeAt(zoomed, anchor) - timeAt(viewport, anchor)) < 1e-12);
        assert.ok(Math.abs(zoomed.secondsPerPixel - viewport.secondsPerPixel / factor) < 1e-15);
      }
    }
  });

  it('limits zoom to a tenth of a microsecond up to 100 seconds per pixel', () => {
    assert.equal(zoomAt({ start: 0, secondsPerPixel: 1e-7 }, 10, 0).secondsPerPixel, 1e-7);
    assert.equal(zoomAt({ start: 0, secondsPerPixel: 50 }, 0.1, 0).secondsPerPixel, 100);
  });

  it('pans by pixels and fits a range with a margin on both sides', () => {
    assert.deepEqual(panBy({ start: 1, secondsPerPixel: 0.5 }, 10), { start: 6, secondsPerPixel: 0.5 });
    const fitted = fitRange(0, 10, 1000);
    assert.ok(xOf(fitted, 0) > 0 && xOf(fitted, 10) < 1000);
    assert.ok(xOf(fitted, 10) > 950);
  });

  it('puts ticks at round times, far enough apart, labelled in fitting units', () => {
    assert.deepEqual([niceStep(0.3), niceStep(3), niceStep(7), niceStep(0.00012)], [0.5, 5, 10, 0.0002]);
    const axis = ticks({ start: -0.05, secondsPerPixel: 0.01 }, 400, 80);
    assert.deepEqual(axis.map((tick) => tick.label), ['0 s', '1 s', '2 s', '3 s']);
    for (const [a, b] of axis.slice(1).map((tick, index) => [axis[index], tick])) {
      assert.ok((b?.x ?? 0) - (a?.x ?? 0) >= 80);
    }
    assert.deepEqual(ticks({ start: 0, secondsPerPixel: 0.0005 }, 400, 80).map((tick) => tick.label), ['0 s', '50 ms', '100 ms', '150 ms', '200 ms']);
    assert.deepEqual(ticks({ start: 0, secondsPerPixel: 2e-7 }, 100, 40).map((tick) => tick.label), ['0 s', '10 µs']);
    assert.equal(formatOffset(150, 50), '2 min 30 s');
    assert.equal(formatOffset(1.25, 0.25), '1250 ms');
    assert.equal(formatOffset(-2, 1), '-2 s');
  });

  it('formats durations for people', () => {
    assert.deepEqual(
      [0.00085, 0.0123, 0.25, 4.567, 185].map(formatDuration),
      ['850 µs', '12.3 ms', '250 ms', '4.57 s', '3 min 5 s'],
    );
  });
});

function laneRow(more: Partial<LaneRow> = {}): LaneRow {
  return {
    key: '7',
    pid: 7,
    name: 'worker',
    depth: 1,
    state: 'running',
    start: 1,
    end: null,
    outcome: null,
    details: ['worker — pid 7', 'State: running'],
    markers: [],
    tasks: [],
    ...more,
  };
}

function tasks(count: number): TaskRow[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `t${index}`,
    start: index,
    end: index + 0.5,
    state: index % 10 === 9 ? 'failed' : 'done',
    label: `task ${index}`,
  }));
}

describe('timeline view: what is under the pointer', () => {
  const viewport = { start: 0, secondsPerPixel: 0.01 };

  it('prefers a marker within a few pixels, then a task, then the lifetime bar, then the lane', () => {
    const lane = laneRow({
      start: 1,
      end: 9,
      markers: [{ kind: 'exception', t: 9, label: 'ValueError: boom' }],
      tasks: [{ id: 'a', start: 2, end: 3, state: 'done', label: 'f(1)' }],
    });
    assert.deepEqual(hitInLane(lane, viewport, 902, 10), { kind: 'marker', marker: lane.markers[0] });
    assert.deepEqual(hitInLane(lane, viewport, 250, 10), { kind: 'task', task: lane.tasks[0] });
    assert.deepEqual(hitInLane(lane, viewport, 500, 10), { kind: 'lifetime' });
    assert.deepEqual(hitInLane(lane, viewport, 980, 10), { kind: 'lane' });
    // An open bar reaches `now`.
    assert.deepEqual(hitInLane(laneRow({ start: 1, end: null }), viewport, 700, 8), { kind: 'lifetime' });
    assert.deepEqual(hitInLane(laneRow({ start: 1, end: null }), viewport, 900, 8), { kind: 'lane' });
  });

  it('finds the task at a time among thousands (binary search)', () => {
    const many = tasks(10_000);
    assert.equal(taskAt(many, 5000.25, 0)?.id, 't5000');
    assert.equal(taskAt(many, 5000.75, 0), undefined);
    assert.equal(taskAt(many, 5000.7, 0, 0.25)?.id, 't5000');
    assert.equal(taskAt(many, 5000.8, 0, 0.25)?.id, 't5001');
    assert.equal(taskAt(many, -1, 0), undefined);
    assert.equal(firstTaskFrom(many, 5000.25), 5000);
    assert.equal(firstTaskFrom(many, 0), 0);
    assert.equal(firstTaskFrom(many, 1e9), 9999);
    const running: TaskRow[] = [{ id: 'r', start: 3, end: null, state: 'running', label: 'r' }];
    assert.equal(taskAt(running, 50, 100)?.id, 'r');
  });

  it('says what a hover is about, in plain lines', () => {
    const lane = laneRow({ start: 1, end: 3.5, tasks: tasks(3), markers: [{ kind: 'killed', t: 3.5, label: 'killed by SIGKILL' }] });
    assert.deepEqual(hoverLines(lane, { kind: 'marker', marker: lane.markers[0] as never }, 10), ['killed by SIGKILL', 'at 3.5 s · worker (pid 7)']);
    assert.deepEqual(hoverLines(lane, { kind: 'task', task: lane.tasks[1] as TaskRow }, 10), ['task 1', 'done · 500 ms from 1 s', 'on worker (pid 7)']);
    assert.deepEqual(hoverLines(lane, { kind: 'lifetime' }, 10), ['worker — pid 7', 'State: running', 'Lifetime: 2.5 s from 1 s', 'Tasks shown: 3']);
    assert.deepEqual(hoverLines(laneRow({ start: 1 }), { kind: 'lane' }, 4), ['worker — pid 7', 'State: running', 'Lifetime: 3 s from 1 s, still running']);
  });
});

describe('timeline view: the page', () => {
  const page = timelineHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/timeline.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/timeline.css',
  });

  it('has a strict Content-Security-Policy: nothing by default, its style sheet, one nonce script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    assert.equal(
      csp,
      "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-abc123'; img-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net",
    );
    assert.doesNotMatch(csp ?? '', /unsafe-inline|unsafe-eval|\*/);
    assert.equal(contentSecurityPolicy('x', 'n'), "default-src 'none'; style-src x; script-src 'nonce-n'; img-src x; font-src x");
  });

  it('has no inline style or script, and every script carries the nonce', () => {
    assert.doesNotMatch(page, /\sstyle=/i);
    assert.doesNotMatch(page, /<style/i);
    assert.doesNotMatch(page, /\son[a-z]+=/i);
    const scripts = page.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0] as string, /nonce="abc123" src="[^"]+timeline\.js"/);
    assert.match(page, /<script[^>]*><\/script>/);
  });

  it('escapes what it puts in attributes, and makes nonces that differ', () => {
    assert.equal(attribute('a"b<c>&'), 'a&quot;b&lt;c&gt;&amp;');
    // Enough nonces that the old base64-stripping one fell short now and then (1 in ~300 each).
    const nonces = new Set(Array.from({ length: 5000 }, newNonce));
    assert.equal(nonces.size, 5000);
    for (const nonce of nonces) {
      assert.match(nonce, /^[A-Za-z0-9]{20,}$/);
    }
  });
});

describe('timeline view: messages from the webview', () => {
  it('accepts well-formed messages and rejects the rest', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'reveal', sessionId: 's1', key: '7', extra: 1 }), { type: 'reveal', sessionId: 's1', key: '7' });
    assert.deepEqual(parseWebviewMessage({ type: 'showSession', sessionId: 's2' }), { type: 'showSession', sessionId: 's2' });
    assert.deepEqual(parseWebviewMessage({ type: 'rendered', sessionId: null, lanes: 0, bars: 0, markers: 0 }), {
      type: 'rendered',
      sessionId: null,
      lanes: 0,
      bars: 0,
      markers: 0,
    });
    for (const bad of [null, 'ready', 42, {}, { type: 'reveal', sessionId: 1, key: '7' }, { type: 'reveal', sessionId: 's1' }, { type: 'rendered', sessionId: 's1', lanes: -1, bars: 0, markers: 0 }, { type: 'runCommand', command: 'x' }]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
