// What the Timeline panel posts to its webview: a full state once, then only what changed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { SessionView } from '../../src/model/session';
import { relative, sameLane, TimelineFeed } from '../../src/timeline/feed';
import type { LaneRow } from '../../src/timeline/messages';
import { noTasks } from '../../src/timeline/timeline';
import * as make from './helpers/events';
import { applyItems, sampleSession } from './helpers/sampleRun';

function liveSession(): { model: Model; id: string; session: () => SessionView } {
  const model = new Model();
  const id = model.openSession({ label: 'live.py', startedAt: 100 });
  return { model, id, session: () => model.session(id) as SessionView };
}

describe('timeline feed', () => {
  it('starts with every lane, in tree order, with times relative to the session start', () => {
    const { model, sessionId } = sampleSession();
    const feed = new TimelineFeed(sessionId, noTasks, () => 1010);
    const reset = feed.reset(model.session(sessionId) as SessionView);
    assert.deepEqual(reset.head, { id: sessionId, label: 'prog.py', startedAt: 999.9, endedAt: 3.7, now: 10.1 });
    assert.deepEqual(reset.order, ['100', '101', '102', '103', '104']);
    assert.deepEqual(reset.lanes.map((lane) => [lane.key, lane.depth, lane.start, lane.end, lane.state]), [
      ['100', 0, 0.2, 3.5, 'exited'],
      ['101', 1, 0.3, 1.75, 'failed'],
      ['102', 1, 0.4, 1.7, 'killed'],
      ['103', 1, 0.6, 2, 'exited'],
      ['104', 1, 0.7, 2.6, 'lost'],
    ]);
    assert.deepEqual(reset.lanes[2]?.markers, [
      { kind: 'signal-sent', t: 1.6, label: 'kill() sent SIGKILL (from pid 100)' },
      { kind: 'killed', t: 1.7, label: 'killed by SIGKILL' },
    ]);
    assert.equal(feed.update(model.session(sessionId) as SessionView), undefined, 'nothing changed since the reset');
  });

  it('sends only the lanes that changed, and the order only when it changed', () => {
    const { model, id, session } = liveSession();
    let now = 101;
    const feed = new TimelineFeed(id, noTasks, () => now);
    applyItems(model, id, [make.hello(1, 0, 'main', { t: 100.5 }), make.hello(2, 1, 'process', { t: 100.6 })]);
    feed.reset(session());

    now = 102; // the clock alone is no change
    assert.equal(feed.update(session()), undefined);

    applyItems(model, id, [make.exitedSelf(2, 0, undefined, 101.5)]);
    const exit = feed.update(session());
    assert.equal(exit?.order, null);
    assert.deepEqual(exit?.lanes.map((lane) => [lane.key, lane.state, lane.end]), [['2', 'exited', 1.5]]);
    assert.deepEqual(exit?.removed, []);
    assert.equal(exit?.head.now, 2);

    applyItems(model, id, [make.hello(3, 1, 'process', { t: 100.55 })]);
    const added = feed.update(session());
    assert.deepEqual(added?.order, ['1', '3', '2']);
    assert.deepEqual(added?.lanes.map((lane) => lane.key), ['3']);

    model.endSession(id, 103);
    const ended = feed.update(session());
    assert.equal(ended?.head.endedAt, 3);
    assert.deepEqual(ended?.lanes, []);
  });

  it('notices a change in any field of a lane, down to one task or marker', () => {
    const base: LaneRow = {
      key: '7',
      pid: 7,
      name: 'w',
      depth: 1,
      state: 'running',
      start: 1,
      end: null,
      outcome: null,
      details: ['w — pid 7'],
      markers: [{ kind: 'signal-sent', t: 2, label: 'terminate()' }],
      tasks: [{ id: 'a', start: 1, end: 2, state: 'done', label: 'f()' }],
    };
    assert.equal(sameLane(base, structuredClone(base)), true);
    const changes: Array<Partial<LaneRow>> = [
      { key: '8' },
      { pid: 8 },
      { name: 'x' },
      { depth: 2 },
      { state: 'exited' },
      { start: 1.5 },
      { end: 3 },
      { outcome: 'exit 0' },
      { details: ['w — pid 7', 'more'] },
      { details: ['v — pid 7'] },
      { markers: [] },
      { markers: [{ kind: 'signal-sent', t: 2.5, label: 'terminate()' }] },
      { markers: [{ kind: 'killed', t: 2, label: 'terminate()' }] },
      { tasks: [{ id: 'a', start: 1, end: 2, state: 'failed', label: 'f()' }] },
      { tasks: [{ id: 'a', start: 1, end: null, state: 'done', label: 'f()' }] },
      { tasks: [...base.tasks, { id: 'b', start: 2, end: 3, state: 'done', label: 'f()' }] },
    ];
    for (const change of changes) {
      assert.equal(sameLane(base, { ...base, ...change }), false, JSON.stringify(change));
    }
  });

  it('rounds relative times to the microsecond', () => {
    assert.equal(relative(1000.1234567, 1000), 0.123457);
    assert.equal(relative(null, 1000), null);
  });

  it('sends a small update for a few changes in a session of 1,000 processes (sizes printed)', () => {
    const { model, id, session } = liveSession();
    const events = [make.hello(1, 0, 'main', { t: 100 })];
    for (let pid = 2; pid <= 1000; pid++) {
      events.push(make.hello(pid, 1 + Math.floor((pid - 2) / 50), 'process', { t: 100 + pid / 1000, name: `worker-${pid}` }));
    }
    applyItems(model, id, events);
    const feed = new TimelineFeed(id, noTasks, () => 110);
    const reset = feed.reset(session());
    const resetBytes = JSON.stringify(reset).length;
    assert.equal(reset.lanes.length, 1000);

    applyItems(model, id, Array.from({ length: 10 }, (_, index) => make.exitedSelf(500 + index, 0, undefined, 105)));
    const update = feed.update(session());
    assert.equal(update?.lanes.length, 10);
    assert.equal(update?.order, null);
    const updateBytes = JSON.stringify(update).length;
    assert.ok(updateBytes * 50 < resetBytes, `update ${updateBytes} bytes, reset ${resetBytes} bytes`);
    // Times: see client/test/bench/timelineBench.ts.
    console.log(`timeline feed, 1,000 processes: reset ${(resetBytes / 1024).toFixed(0)} KiB; update of 10 exits ${(updateBytes / 1024).toFixed(1)} KiB`);
  });
});
