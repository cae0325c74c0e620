// A session as a Chrome / Perfetto trace (the JSON "Trace Event Format"), built from the same
// timeline the Timeline view draws. Each process becomes a trace process named after it and
// sorted in tree order; its lifetime is a complete (`X`) event on a "lifetime" thread, its tasks
// are `X` events on a "tasks" thread, and exits, signals and exceptions are instant (`i`) events.
// Timestamps are microseconds since the start of the session (the absolute start is kept in
// `otherData`), so the numbers stay small and exact.
import type { Timeline, TimelineLane, TimelineMarker, TimelineTask } from './timeline';

interface BaseEvent {
  readonly name: string;
  readonly pid: number;
  readonly tid: number;
}

export interface MetadataEvent extends BaseEvent {
  readonly ph: 'M';
  readonly args: Readonly<Record<string, string | number>>;
}

export interface CompleteEvent extends BaseEvent {
  readonly ph: 'X';
  readonly cat: string;
  readonly ts: number;
  readonly dur: number;
  readonly args: Readonly<Record<string, string | number | boolean>>;
}

export interface InstantEvent extends BaseEvent {
  readonly ph: 'i';
  readonly cat: string;
  readonly ts: number;
  /** Scope: the thread it happened on. */
  readonly s: 't';
  readonly args: Readonly<Record<string, string | number>>;
}

export type TraceEvent = MetadataEvent | CompleteEvent | InstantEvent;

export interface TraceFile {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Readonly<Record<string, string | number>>;
}

export interface TraceOptions {
  /** End of bars still open (a live session); default: the session's end or the last time seen. */
  readonly now?: number;
  /** Written into otherData. */
  readonly exportedBy?: string;
}

// Trace ids must be integers. Real pids keep their number; a pid reused within the run and the
// per-process tasks threads get numbers no Linux, macOS or Windows pid reaches (all < 2^31).
const REUSED_PID_BASE = 1_900_000_000;
const TASKS_TID_BASE = 1_000_000_000;

export function timelineToTrace(timeline: Timeline, options: TraceOptions = {}): TraceFile {
  const origin = earliestTime(timeline);
  const end = options.now ?? timeline.endedAt ?? latestTime(timeline) ?? origin;
  const us = (t: number): number => Math.max(0, Math.round((t - origin) * 1e6));
  const events: TraceEvent[] = [];
  const pids = tracePids(timeline.lanes);

  timeline.lanes.forEach((lane, index) => {
    const pid = pids.get(lane.key) as number;
    const lifetimeTid = pid;
    const tasksTid = TASKS_TID_BASE + index;
    events.push(
      { name: 'process_name', ph: 'M', pid, tid: lifetimeTid, args: { name: `${lane.name} (pid ${lane.pid})` } },
      { name: 'process_sort_index', ph: 'M', pid, tid: lifetimeTid, args: { sort_index: index } },
      { name: 'thread_name', ph: 'M', pid, tid: lifetimeTid, args: { name: 'lifetime' } },
    );
    if (lane.role !== null) {
      events.push({ name: 'process_labels', ph: 'M', pid, tid: lifetimeTid, args: { labels: lane.role } });
    }
    if (lane.start !== null) {
      const stop = lane.end ?? Math.max(end, lane.start);
      events.push({
        name: lane.name,
        cat: 'process',
        ph: 'X',
        pid,
        tid: lifetimeTid,
        ts: us(lane.start),
        dur: Math.max(0, us(stop) - us(lane.start)),
        args: lifetimeArgs(lane),
      });
    }
    for (const marker of lane.markers) {
      events.push(instant(marker, pid, lifetimeTid, us(marker.t)));
    }
    if (lane.tasks.length > 0) {
      events.push(
        { name: 'thread_name', ph: 'M', pid, tid: tasksTid, args: { name: 'tasks' } },
        { name: 'thread_sort_index', ph: 'M', pid, tid: tasksTid, args: { sort_index: 1 } },
      );
      events.push(...taskEvents(lane.tasks, pid, tasksTid, us, us(end)));
    }
  });

  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      session: timeline.label,
      startedAt: new Date(origin * 1000).toISOString(),
      startedAtEpochSeconds: origin,
      exportedBy: options.exportedBy ?? 'mpscope',
    },
  };
}

/** The trace as text, one event per line, produced in pieces (a large trace is never one string). */
export function* traceJsonChunks(trace: TraceFile, eventsPerChunk = 2_000): Generator<string> {
  yield '{"traceEvents":[\n';
  const events = trace.traceEvents;
  for (let start = 0; start < events.length; start += eventsPerChunk) {
    const slice = events.slice(start, start + eventsPerChunk).map((event) => JSON.stringify(event));
    yield slice.join(',\n') + (start + eventsPerChunk < events.length ? ',\n' : '\n');
  }
  yield `],\n"displayTimeUnit":${JSON.stringify(trace.displayTimeUnit)},\n"otherData":${JSON.stringify(trace.otherData)}}\n`;
}

function lifetimeArgs(lane: TimelineLane): Record<string, string | number | boolean> {
  const args: Record<string, string | number | boolean> = { pid: lane.pid, state: lane.state };
  if (lane.role !== null) {
    args.role = lane.role;
  }
  if (lane.outcome !== null) {
    args.outcome = lane.outcome;
  }
  if (lane.end === null) {
    args.running = true;
  }
  args.details = lane.details.join('\n');
  return args;
}

function instant(marker: TimelineMarker, pid: number, tid: number, ts: number): InstantEvent {
  return { name: marker.label, cat: marker.kind, ph: 'i', s: 't', pid, tid, ts, args: { kind: marker.kind } };
}

/**
 * Tasks of one worker run one after the other, but their clocks are rounded and may come from
 * several reports: each task starts no earlier than the previous one ended, so the thread's
 * complete events never overlap (trace viewers reject or mis-nest overlapping slices).
 */
function taskEvents(tasks: readonly TimelineTask[], pid: number, tid: number, us: (t: number) => number, endUs: number): CompleteEvent[] {
  const events: CompleteEvent[] = [];
  let previousEnd = 0;
  for (const task of tasks) {
    const start = Math.max(us(task.start), previousEnd);
    const stop = Math.max(start, task.end === null ? Math.max(endUs, start) : us(task.end));
    const args: Record<string, string | number | boolean> = { id: task.id, state: task.state };
    if (task.end === null) {
      args.running = true;
    }
    events.push({ name: task.label, cat: task.state === 'failed' ? 'task,failed' : 'task', ph: 'X', pid, tid, ts: start, dur: stop - start, args });
    previousEnd = stop;
  }
  return events;
}

function tracePids(lanes: readonly TimelineLane[]): Map<string, number> {
  const pids = new Map<string, number>();
  const used = new Set<number>();
  let reused = 0;
  for (const lane of lanes) {
    let pid = lane.pid;
    if (used.has(pid)) {
      pid = REUSED_PID_BASE + reused++;
    }
    used.add(pid);
    pids.set(lane.key, pid);
  }
  return pids;
}

function earliestTime(timeline: Timeline): number {
  let earliest = timeline.startedAt;
  for (const lane of timeline.lanes) {
    if (lane.start !== null && lane.start < earliest) {
      earliest = lane.start;
    }
    for (const marker of lane.markers) {
      earliest = Math.min(earliest, marker.t);
    }
    const first = lane.tasks[0];
    if (first && first.start < earliest) {
      earliest = first.start;
    }
  }
  return earliest;
}

function latestTime(timeline: Timeline): number | undefined {
  let latest: number | undefined;
  const note = (t: number | null): void => {
    if (t !== null && (latest === undefined || t > latest)) {
      latest = t;
    }
  };
  for (const lane of timeline.lanes) {
    note(lane.start);
    note(lane.end);
    for (const marker of lane.markers) {
      note(marker.t);
    }
    for (const task of lane.tasks) {
      note(task.start);
      note(task.end);
    }
  }
  return latest;
}
