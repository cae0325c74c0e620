// The Chrome / Perfetto trace export. Trace viewers are strict about a few rules of the JSON
// Trace Event Format: each phase has its required fields, timestamps are numbers in
// microseconds, complete events on one thread must nest (never partly overlap), and process and
// thread names come from metadata events. `traceProblems` checks those rules on every export.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { SessionView } from '../../src/model/session';
import { buildTimeline, TaskSource, Timeline } from '../../src/timeline/timeline';
import { CompleteEvent, InstantEvent, TraceEvent, TraceFile, timelineToTrace, traceJsonChunks } from '../../src/timeline/traceExport';
import * as make from './helpers/events';
import { applyItems, sampleSession } from './helpers/sampleRun';

const METADATA_NAMES = new Set(['process_name', 'process_sort_index', 'process_labels', 'thread_name', 'thread_sort_index']);

/** Every rule of the format the export must keep, as a list of violations (empty: valid). */
function traceProblems(trace: unknown): string[] {
  const problems: string[] = [];
  if (typeof trace !== 'object' || trace === null || !Array.isArray((trace as TraceFile).traceEvents)) {
    return ['not an object with a traceEvents array'];
  }
  const file = trace as TraceFile;
  if (file.displayTimeUnit !== 'ms' && file.displayTimeUnit !== 'ns') {
    problems.push(`displayTimeUnit ${String(file.displayTimeUnit)}`);
  }
  const isInt = (value: unknown): boolean => Number.isSafeInteger(value);
  const isTime = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  const slices = new Map<string, Array<{ ts: number; end: number }>>();
  file.traceEvents.forEach((event: TraceEvent, index) => {
    const where = `event ${index} (${JSON.stringify(event).slice(0, 80)})`;
    if (typeof event.name !== 'string' || event.name.length === 0) problems.push(`${where}: name`);
    if (!isInt(event.pid) || !isInt(event.tid)) problems.push(`${where}: pid/tid must be integers`);
    switch (event.ph) {
      case 'M':
        if (!METADATA_NAMES.has(event.name)) problems.push(`${where}: unknown metadata name`);
        if (typeof event.args !== 'object' || event.args === null) problems.push(`${where}: metadata without args`);
        if ((event.name === 'process_name' || event.name === 'thread_name') && typeof event.args.name !== 'string') problems.push(`${where}: args.name`);
        if (event.name.endsWith('sort_index') && !isInt(event.args.sort_index)) problems.push(`${where}: args.sort_index`);
        break;
      case 'X': {
        if (!isTime(event.ts) || !isTime(event.dur)) problems.push(`${where}: ts/dur`);
        if (typeof event.cat !== 'string') problems.push(`${where}: cat`);
        const thread = `${event.pid}/${event.tid}`;
        const list = slices.get(thread) ?? [];
        list.push({ ts: event.ts, end: event.ts + event.dur });
        slices.set(thread, list);
        break;
      }
      case 'i':
        if (!isTime(event.ts)) problems.push(`${where}: ts`);
        if (!['g', 'p', 't'].includes(event.s)) problems.push(`${where}: scope`);
        break;
      default:
        problems.push(`${where}: unexpected phase ${String((event as { ph: unknown }).ph)}`);
    }
  });
  // Complete events on one thread must form a stack: each one inside or after the previous.
  for (const [thread, list] of slices) {
    list.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const open: number[] = [];
    for (const slice of list) {
      while (open.length > 0 && (open.at(-1) as number) <= slice.ts) open.pop();
      if (open.length > 0 && slice.end > (open.at(-1) as number)) problems.push(`thread ${thread}: slices overlap at ${slice.ts}`);
      open.push(slice.end);
    }
  }
  // Every process and thread that has events is named.
  const named = new Set(file.traceEvents.filter((e) => e.ph === 'M' && (e.name === 'thread_name')).map((e) => `${e.pid}/${e.tid}`));
  const namedProcesses = new Set(file.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.pid));
  for (const event of file.traceEvents) {
    if (event.ph !== 'M' && !named.has(`${event.pid}/${event.tid}`)) problems.push(`thread ${event.pid}/${event.tid} has no thread_name`);
    if (!namedProcesses.has(event.pid)) problems.push(`process ${event.pid} has no process_name`);
  }
  return [...new Set(problems)];
}

function argsOf(event: TraceEvent): Readonly<Record<string, unknown>> {
  return event.args;
}

function sampleTimeline(tasks?: TaskSource): Timeline {
  const { model, sessionId } = sampleSession();
  return buildTimeline(model.session(sessionId) as SessionView, tasks);
}

function parse(trace: TraceFile): TraceFile {
  return JSON.parse([...traceJsonChunks(trace, 3)].join('')) as TraceFile;
}

describe('trace export', () => {
  it('writes a valid trace: named processes in tree order, lifetimes, and instants for exits and signals', () => {
    const trace = parse(timelineToTrace(sampleTimeline()));
    assert.deepEqual(traceProblems(trace), []);
    const events = trace.traceEvents;
    const names = events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, argsOf(e).name]);
    assert.deepEqual(names, [
      [100, 'MainProcess (pid 100)'],
      [101, 'cruncher (pid 101)'],
      [102, 'sleeper (pid 102)'],
      [103, 'quiet (pid 103)'],
      [104, 'vanisher (pid 104)'],
    ]);
    const order = events.filter((e) => e.ph === 'M' && e.name === 'process_sort_index').map((e) => [e.pid, argsOf(e).sort_index]);
    assert.deepEqual(order, [[100, 0], [101, 1], [102, 2], [103, 3], [104, 4]]);

    // Microseconds since the session started (999.9 s).
    const lifetime = events.find((e): e is CompleteEvent => e.ph === 'X' && e.pid === 102);
    assert.deepEqual(lifetime && [lifetime.ts, lifetime.dur, lifetime.tid], [400_000, 1_300_000, 102]);
    const instants = events.filter((e): e is InstantEvent => e.ph === 'i').map((e) => `${e.pid} ${e.cat} ${e.ts}`);
    assert.deepEqual(instants, [
      '100 exit 3500000',
      '101 runtime-error 1000000',
      '101 exception 1750000',
      '102 signal-sent 1600000',
      '102 killed 1700000',
      '103 exit 2000000',
      '104 lost 2600000',
    ]);
    assert.equal(trace.otherData.startedAtEpochSeconds, 999.9);
    assert.equal(trace.otherData.session, 'prog.py');
  });

  it('puts tasks on a thread of their own that never overlaps, running ones up to the end', () => {
    const source: TaskSource = (_session, process) =>
      process.pid === 103
        ? [
            { id: 'a', start: 1000.7, end: 1000.9, state: 'done', label: 'square(1)' },
            // Clocks from two reports: starts a little before the previous task's end.
            { id: 'b', start: 1000.8999, end: 1001.2, state: 'failed', label: 'square(2): ValueError' },
            { id: 'c', start: 1001.5, end: null, state: 'running', label: 'square(3)' },
          ]
        : [];
    const trace = parse(timelineToTrace(sampleTimeline(source), { now: 1002 }));
    assert.deepEqual(traceProblems(trace), []);
    const tasks = trace.traceEvents.filter((e): e is CompleteEvent => e.ph === 'X' && e.cat.startsWith('task'));
    assert.deepEqual(
      tasks.map((e) => [e.name, e.ts, e.dur, e.cat]),
      [
        ['square(1)', 800_000, 200_000, 'task'],
        ['square(2): ValueError', 1_000_000, 300_000, 'task,failed'],
        ['square(3)', 1_600_000, 500_000, 'task'],
      ],
    );
    const thread = trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid === tasks[0]?.tid);
    assert.equal(thread && argsOf(thread).name, 'tasks');
    assert.notEqual(tasks[0]?.tid, 103);
  });

  it('keeps processes apart when the OS reused a pid within the run', () => {
    const model = new Model();
    const id = model.openSession({ label: 'reuse', startedAt: 0 });
    applyItems(model, id, [
      make.hello(1, 0, 'main', { t: 1 }),
      make.hello(7, 1, 'process', { t: 2 }),
      make.exitedBy('parent', 1, 7, 0, undefined, 3),
      make.hello(7, 1, 'process', { t: 4 }),
    ]);
    const trace = parse(timelineToTrace(buildTimeline(model.session(id) as SessionView), { now: 5 }));
    assert.deepEqual(traceProblems(trace), []);
    const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name');
    assert.equal(names.length, 3);
    assert.equal(new Set(names.map((e) => e.pid)).size, 3);
    assert.deepEqual(names.map((e) => argsOf(e).name), ['MainProcess (pid 1)', 'pid 7 (pid 7)', 'pid 7 (pid 7)']);
    // The running one (the second pid 7 and main) is drawn up to `now`, flagged as running.
    const open = trace.traceEvents.filter((e) => e.ph === 'X' && argsOf(e).running === true);
    assert.equal(open.length, 2);
  });

  it('is valid JSON however it is chunked, including text that needs escaping', () => {
    const model = new Model();
    const id = model.openSession({ label: 'quote"s & <tags>', startedAt: 0 });
    applyItems(model, id, [make.hello(1, 0, 'main', { t: 1, name: 'line\nbreak "quoted" \u2028 </script>' })]);
    const trace = timelineToTrace(buildTimeline(model.session(id) as SessionView), { now: 2 });
    for (const size of [1, 2, 1000]) {
      assert.deepEqual(JSON.parse([...traceJsonChunks(trace, size)].join('')), JSON.parse(JSON.stringify(trace)));
    }
    assert.equal(JSON.parse([...traceJsonChunks(trace)].join('')).traceEvents[0].args.name, 'line\nbreak "quoted" \u2028 </script> (pid 1)');
  });

  it('exports an empty session as an empty, valid trace', () => {
    const model = new Model();
    const id = model.openSession({ label: 'empty', startedAt: 10 });
    const trace = parse(timelineToTrace(buildTimeline(model.session(id) as SessionView)));
    assert.deepEqual(trace.traceEvents, []);
    assert.deepEqual(traceProblems(trace), []);
  });

  it('catches what trace viewers reject (the validator itself)', () => {
    const bad = {
      displayTimeUnit: 'ms',
      otherData: {},
      traceEvents: [
        { name: 'process_name', ph: 'M', pid: 1, tid: 1, args: { name: 'p' } },
        { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 't' } },
        { name: 'a', cat: 'x', ph: 'X', pid: 1, tid: 1, ts: 0, dur: 10, args: {} },
        { name: 'b', cat: 'x', ph: 'X', pid: 1, tid: 1, ts: 5, dur: 10, args: {} },
        { name: 'c', cat: 'x', ph: 'i', pid: 1, tid: 1, ts: -1, s: 'q', args: {} },
        { name: 'd', cat: 'x', ph: 'X', pid: 2, tid: 1.5, ts: 0, dur: 1, args: {} },
      ],
    };
    const problems = traceProblems(bad);
    assert.ok(problems.some((p) => p.includes('overlap')));
    assert.ok(problems.some((p) => p.includes(': ts')));
    assert.ok(problems.some((p) => p.includes('scope')));
    assert.ok(problems.some((p) => p.includes('integers')));
    assert.ok(problems.some((p) => p.includes('no process_name')));
  });
});
