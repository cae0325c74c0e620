// The timeline model: lanes in tree order, lifetime bars, task bars, and markers for how each
// process ended.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { SessionView } from '../../src/model/session';
import { buildTimeline, TaskSource, TimelineLane, TimelineTask } from '../../src/timeline/timeline';
import * as make from './helpers/events';
import { applyItems, sampleSession } from './helpers/sampleRun';

function timelineOf(tasks?: TaskSource): ReturnType<typeof buildTimeline> {
  const { model, sessionId } = sampleSession();
  return buildTimeline(model.session(sessionId) as SessionView, tasks);
}

function lane(lanes: readonly TimelineLane[], pid: number): TimelineLane {
  const found = lanes.find((candidate) => candidate.pid === pid);
  assert.ok(found, `no lane for pid ${pid}`);
  return found;
}

describe('timeline: lanes', () => {
  it('has one lane per process, parents first, siblings by start time, with their depth', () => {
    const timeline = timelineOf();
    assert.equal(timeline.label, 'prog.py');
    assert.equal(timeline.startedAt, 999.9);
    assert.equal(timeline.endedAt, 1003.6);
    assert.deepEqual(
      timeline.lanes.map((l) => `${'  '.repeat(l.depth)}${l.name} ${l.pid}`),
      ['MainProcess 100', '  cruncher 101', '  sleeper 102', '  quiet 103', '  vanisher 104'],
    );
  });

  it('orders siblings by when they started, not by when they were first heard of', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x', startedAt: 0 });
    applyItems(model, id, [
      make.hello(1, 0, 'main', { t: 1 }),
      make.hello(3, 1, 'process', { t: 5 }),
      make.hello(2, 1, 'process', { t: 3 }),
      make.hello(4, 2, 'process', { t: 4 }),
      make.hello(5, 1, 'process', { t: 2 }),
    ]);
    const timeline = buildTimeline(model.session(id) as SessionView);
    assert.deepEqual(
      timeline.lanes.map((l) => [l.pid, l.depth]),
      [
        [1, 0],
        [5, 1],
        [2, 1],
        [4, 2],
        [3, 1],
      ],
    );
  });

  it('gives each lane a lifetime bar from its start to its end (open while it runs)', () => {
    const { model, sessionId } = sampleSession();
    const lanes = buildTimeline(model.session(sessionId) as SessionView).lanes;
    // The creator's process.created is the earliest word of a child.
    assert.deepEqual([lane(lanes, 101).start, lane(lanes, 101).end], [1000.2, 1001.65]);
    assert.deepEqual([lane(lanes, 102).start, lane(lanes, 102).end], [1000.3, 1001.6]);
    assert.deepEqual([lane(lanes, 104).start, lane(lanes, 104).end], [1000.6, 1002.5]);

    const live = new Model();
    const id = live.openSession({ label: 'live', startedAt: 0 });
    applyItems(live, id, [make.hello(7, 1, 'main', { t: 3 })]);
    const running = buildTimeline(live.session(id) as SessionView).lanes[0];
    assert.deepEqual([running?.start, running?.end, running?.state, running?.outcome], [3, null, 'running', null]);
  });

  it('shows a process nobody saw start from the first moment it is known', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x', startedAt: 0 });
    // A parent reports the exit of a child that never connected (no hello, no process.started).
    applyItems(model, id, [make.hello(1, 0, 'main', { t: 1 }), make.exitedBy('parent', 1, 9, -9, 'SIGKILL', 4)]);
    const child = lane(buildTimeline(model.session(id) as SessionView).lanes, 9);
    assert.deepEqual([child.start, child.end, child.state], [4, 4, 'killed']);
  });

  it('describes each lane in plain lines for the hover', () => {
    const lanes = timelineOf().lanes;
    assert.deepEqual(lane(lanes, 101).details, [
      'cruncher — pid 101',
      'State: failed (exit 1)',
      'Role: process, fork',
      'Target: work.crunch',
      'Created at: /w/prog.py:12',
      'ValueError: bad input',
    ]);
    assert.equal(lane(lanes, 102).outcome, 'SIGKILL');
  });
});

describe('timeline: markers', () => {
  it('marks exits, exceptions, kills, signals sent, lost streams and hook failures', () => {
    const lanes = timelineOf().lanes;
    const markers = (pid: number): string[] => lane(lanes, pid).markers.map((m) => `${m.t} ${m.kind}: ${m.label}`);
    assert.deepEqual(markers(100), ['1003.4 exit: exit 0']);
    assert.deepEqual(markers(101), [
      '1000.9 runtime-error: mpscope hook failed in hooks.queue: could not wrap Queue.put',
      '1001.65 exception: ValueError: bad input (exit 1)',
    ]);
    assert.deepEqual(markers(102), ['1001.5 signal-sent: kill() sent SIGKILL (from pid 100)', '1001.6 killed: killed by SIGKILL']);
    assert.deepEqual(markers(103), ['1001.9 exit: exit 0']);
    assert.deepEqual(markers(104), ['1002.5 lost: lost: its stream closed without an exit record']);
  });

  it('marks a non-zero exit without an exception as failed, and keeps labels short', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x', startedAt: 0 });
    applyItems(model, id, [
      make.hello(1, 0, 'main', { t: 1 }),
      make.hello(2, 1, 'process', { t: 1 }),
      make.exitedBy('parent', 1, 2, 3, undefined, 2),
      make.hello(3, 1, 'process', { t: 1 }),
      make.exitedSelf(3, 1, { type: 'RuntimeError', message: `${'x'.repeat(500)}\nsecond line` }, 3),
    ]);
    const lanes = buildTimeline(model.session(id) as SessionView).lanes;
    assert.deepEqual(lane(lanes, 2).markers.map((m) => [m.kind, m.label]), [['failed', 'exit 3']]);
    const long = lane(lanes, 3).markers[0];
    assert.equal(long?.kind, 'exception');
    assert.equal(long?.label.length, 200);
    assert.ok(long?.label.endsWith('…'));
    assert.ok(!long?.label.includes('second line'));
  });
});

describe('timeline: tasks', () => {
  it('puts the tasks a task source reports on their worker, sorted by start', () => {
    const tasks: TimelineTask[] = [
      { id: 't2', start: 1001.2, end: 1001.3, state: 'failed', label: 'work(2): ValueError' },
      { id: 't1', start: 1000.9, end: 1001.0, state: 'done', label: 'work(1)' },
      { id: 't3', start: 1001.4, end: null, state: 'running', label: 'work(3)' },
    ];
    const source: TaskSource = (_session, process) => (process.pid === 103 ? tasks : []);
    const lanes = timelineOf(source).lanes;
    assert.deepEqual(lane(lanes, 103).tasks.map((task) => task.id), ['t1', 't2', 't3']);
    assert.deepEqual(lane(lanes, 101).tasks, []);
  });
});
