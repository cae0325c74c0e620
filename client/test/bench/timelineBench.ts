// Benchmark (not a test): what the Timeline, the trace export and saved sessions cost on large
// sessions. Prints a table of medians over several rounds. Run after `npm run build`:
//   node out/client/test/bench/timelineBench.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../src/model/model';
import type { SessionView } from '../../src/model/session';
import type { MpscopeEvent } from '../../src/protocol/events';
import { replaySessionFile } from '../../src/sessionFile/readFile';
import { chunked, sessionFileLines } from '../../src/sessionFile/writer';
import { TimelineFeed } from '../../src/timeline/feed';
import { buildTimeline, noTasks, TaskSource, TimelineTask } from '../../src/timeline/timeline';
import { timelineToTrace, traceJsonChunks } from '../../src/timeline/traceExport';
import * as make from '../unit/helpers/events';

const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median time of `rounds` runs after `warmup` runs (which pay for compiling the code). */
async function measure(run: () => unknown, rounds = ROUNDS, warmup = 2): Promise<number> {
  for (let round = 0; round < warmup; round++) {
    await run();
  }
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** A run of `processes` processes (a main, and children in groups of 50 under 20 parents). */
function runEvents(processes: number): MpscopeEvent[] {
  const events: MpscopeEvent[] = [make.hello(1, 0, 'main', { t: 100, argv: ['/w/big.py'] })];
  for (let pid = 2; pid <= processes; pid++) {
    const parent = pid <= 21 ? 1 : 2 + ((pid - 22) % 20);
    const t = 100 + pid / 1000;
    events.push(make.created(parent, `${parent}-${pid}`, { t, name: `worker-${pid}`, target: 'big.work', site: { file: '/w/big.py', line: 10 } }));
    events.push(make.started(parent, `${parent}-${pid}`, pid, { t }));
    events.push(make.hello(pid, parent, 'process', { t: t + 0.001 }));
    events.push(
      pid % 17 === 0
        ? make.exitedSelf(pid, 1, { ...make.valueError, message: `bad input ${pid}` }, t + 5)
        : make.exitedSelf(pid, 0, undefined, t + 5),
    );
    events.push(make.exitedBy('parent', parent, pid, pid % 17 === 0 ? 1 : 0, undefined, t + 5.001));
  }
  return events;
}

function sessionOf(events: readonly MpscopeEvent[], limits?: { maxItems: number; maxBytes: number }): { model: Model; session: SessionView } {
  const model = new Model(limits ? { recordingLimits: limits } : {});
  const id = model.openSession({ label: 'big.py', startedAt: 99.5 });
  model.ingestAll(id, events);
  for (const event of events) {
    if (event.kind === 'hello') model.streamClosed(id, event.pid, 200);
  }
  model.endSession(id, 200);
  return { model, session: model.session(id) as SessionView };
}

/** `perWorker` tasks of 1 ms each on every 10th process. */
function syntheticTasks(perWorker: number): TaskSource {
  const cache = new Map<string, TimelineTask[]>();
  return (_session, process) => {
    if (process.pid % 10 !== 0 || process.startedAt === null) return [];
    let tasks = cache.get(process.key);
    if (!tasks) {
      const start = process.startedAt;
      tasks = Array.from({ length: perWorker }, (_, index) => ({
        id: `${process.pid}-${index}`,
        start: start + index * 0.002,
        end: start + index * 0.002 + 0.001,
        state: index % 50 === 49 ? ('failed' as const) : ('done' as const),
        label: `big.work(${index})`,
      }));
      cache.set(process.key, tasks);
    }
    return tasks;
  };
}

const rows: string[][] = [];
function row(what: string, value: string, note = ''): void {
  rows.push([what, value, note]);
  console.error(`${what}: ${value} ${note}`);
}

async function main(): Promise<void> {
  const processes = 1000;
  const events = runEvents(processes);

  // Ingest with the recording (the default) and with one that keeps nothing, rounds alternating
  // so both see the same machine.
  const manyEvents = runEvents(20_000);
  const ingest = (limits?: { maxItems: number; maxBytes: number }): number => {
    const model = new Model(limits ? { recordingLimits: limits } : {});
    const id = model.openSession({ label: 'big.py', startedAt: 99.5 });
    const started = performance.now();
    model.ingestAll(id, manyEvents);
    return performance.now() - started;
  };
  const withRecording: number[] = [];
  const withoutRecording: number[] = [];
  for (let round = 0; round < 3 + ROUNDS; round++) {
    const a = ingest();
    const b = ingest({ maxItems: 0, maxBytes: 0 });
    if (round >= 3) {
      withRecording.push(a);
      withoutRecording.push(b);
    }
  }
  const rate = (ms: number): string => `${Math.round(manyEvents.length / (ms / 1000)).toLocaleString('en-US')} events/s`;
  row(`model ingest, ${manyEvents.length.toLocaleString('en-US')} events`, rate(median(withRecording)), `(a recording that keeps nothing: ${rate(median(withoutRecording))})`);

  const { session } = sessionOf(events);
  row(`buildTimeline, ${processes} processes`, `${(await measure(() => buildTimeline(session), 50, 20)).toFixed(2)} ms`);

  const feed = new TimelineFeed(session.id, noTasks, () => 200);
  const reset = feed.reset(session);
  row(`timeline reset message, ${processes} processes`, `${(await measure(() => feed.reset(session), 50, 20)).toFixed(2)} ms`, `${(JSON.stringify(reset).length / 1024).toFixed(0)} KiB`);
  const live = sessionOf(events.slice(0, events.length - 20));
  const liveFeed = new TimelineFeed(live.session.id, noTasks, () => 200);
  liveFeed.reset(live.session);
  const updateMs = await measure(() => liveFeed.update(live.session), 50, 20);
  live.model.ingestAll(live.session.id, events.slice(events.length - 20));
  const update = liveFeed.update(live.session);
  row(`timeline update, ${processes} processes, 4 changed`, `${updateMs.toFixed(2)} ms`, `${(JSON.stringify(update).length / 1024).toFixed(1)} KiB (${update?.lanes.length} lanes)`);

  for (const perWorker of [0, 1000]) {
    const tasks = perWorker === 0 ? noTasks : syntheticTasks(perWorker);
    const taskCount = perWorker * Math.floor(processes / 10);
    let size = 0;
    let traceEvents = 0;
    const ms = await measure(() => {
      const trace = timelineToTrace(buildTimeline(session, tasks));
      traceEvents = trace.traceEvents.length;
      size = 0;
      for (const chunk of traceJsonChunks(trace)) size += Buffer.byteLength(chunk);
    });
    row(`trace export, ${processes} processes, ${taskCount.toLocaleString('en-US')} tasks`, `${ms.toFixed(0)} ms`, `${traceEvents.toLocaleString('en-US')} trace events, ${(size / 1024 / 1024).toFixed(2)} MiB`);
  }

  // Save and open a large session: 20,000 processes ≈ 100,000 events.
  const large = sessionOf(runEvents(20_000));
  const recording = large.model.recording(large.session.id);
  if (!recording) throw new Error('no recording');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-bench-'));
  try {
    const file = path.join(dir, 'large.jsonl');
    const saveMs = await measure(() => {
      const fd = fs.openSync(file, 'w');
      for (const chunk of chunked(sessionFileLines(large.session, recording, 0))) fs.writeSync(fd, chunk);
      fs.closeSync(fd);
    });
    const bytes = fs.statSync(file).size;
    row(`save session, ${recording.items.length.toLocaleString('en-US')} items`, `${saveMs.toFixed(0)} ms`, `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
    const openMs = await measure(() => replaySessionFile(file, new Model()));
    row(`open saved session (streamed)`, `${openMs.toFixed(0)} ms`, `${Math.round(recording.items.length / (openMs / 1000)).toLocaleString('en-US')} items/s`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const header = ['measure', 'median', 'notes'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  console.log(`(median of ${ROUNDS} rounds after a warm-up; Node ${process.version}, ${os.cpus().length} cores)`);
}

void main();
