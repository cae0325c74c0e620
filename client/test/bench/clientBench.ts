// Benchmark (not a test) of the extension's hot paths in plain Node: how fast events get from
// bytes into the model, and what the Processes view costs for a 1,000-process session. Prints a
// table of medians; with --json, one JSON object instead (scripts/bench-client.mjs merges it
// with what only a real VS Code and a real package can tell). Run after `npm run build`:
//   node out/client/test/bench/clientBench.js [--json]
import './vscodeStandIn';
import * as net from 'node:net';
import * as os from 'node:os';
import { Model } from '../../src/model/model';
import { isValidEvent } from '../../src/protocol/eventSchema';
import type { MpscopeEvent } from '../../src/protocol/events';
import { LineDecoder } from '../../src/session/lineDecoder';
import { SessionServer } from '../../src/session/sessionServer';
import { ProcessTreeNode, ProcessTreeProvider } from '../../src/views/processTree';
import { buildWorkload, Workload } from './ingestWorkload';

const ROUNDS = 5;
const TASKS_PER_WORKER = 1000;
const CHUNK_BYTES = 64 * 1024;
const CONCURRENT_STREAMS = 64;

export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: 'events/s' | 'ms';
  /** The goal from issue 5, when there is one, and which way is better. */
  readonly goal?: { readonly limit: number; readonly atLeast: boolean };
  readonly note: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Milliseconds of CPU time (user + system) this process spent, not wall-clock time: on a shared
 * machine (CI runners, or this 2-core one while other jobs run) wall time mostly measures the
 * neighbours, while CPU time stays close to what the code costs on an idle core.
 */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Median CPU time of `rounds` runs after `warmup` runs (which pay for compiling the code). */
async function timeOf(run: () => unknown, rounds = ROUNDS, warmup = 1): Promise<number> {
  for (let round = 0; round < warmup; round++) await run();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = cpuNow();
    await run();
    times.push(cpuNow() - started);
  }
  return median(times);
}

/** Progress on stderr, so --json output stays one line on stdout. */
function progress(what: string): void {
  process.stderr.write(`[bench] ${what}…\n`);
}

function rate(events: number, ms: number): number {
  return Math.round(events / (ms / 1000));
}

/** Each stream as the bytes its process writes: one JSON line per event. */
function streamBytes(workload: Workload): Buffer[] {
  return workload.streams.map((stream) => Buffer.from(stream.events.map((event) => `${JSON.stringify(event)}\n`).join('')));
}

function ingestModelOnly(workload: Workload): Model {
  const model = new Model({ clock: () => 0 });
  const session = model.openSession({ label: 'jobs.py', startedAt: 0 });
  for (const stream of workload.streams) {
    for (const event of stream.events) model.ingest(session, event);
  }
  return model;
}

/** What SessionServer does with each line, without the socket: decode, parse, validate, apply. */
function ingestDecoded(workload: Workload, bytes: readonly Buffer[]): number {
  const model = new Model({ clock: () => 0 });
  const session = model.openSession({ label: 'jobs.py', startedAt: 0 });
  let applied = 0;
  bytes.forEach((data, index) => {
    const pid = workload.streams[index]?.pid;
    const decoder = new LineDecoder({
      line: (text) => {
        const value: unknown = JSON.parse(text);
        if (!isValidEvent(value)) throw new Error(`the workload has an invalid event: ${text.slice(0, 200)}`);
        if (value.pid !== pid) throw new Error(`event of pid ${value.pid} on the stream of pid ${pid}`);
        model.ingest(session, value);
        applied++;
      },
      drop: (reason) => {
        throw new Error(`a line was dropped (${reason})`);
      },
    });
    for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) decoder.push(data.subarray(offset, offset + CHUNK_BYTES));
    decoder.end();
  });
  return applied;
}

/**
 * The whole path a run takes: every process connects to the real collector socket (a Unix
 * socket), says hello with the session's token and streams its events; timed until the model
 * holds the last one.
 */
async function ingestThroughSocket(tasksPerWorker: number): Promise<{ ms: number; events: number }> {
  const model = new Model({ clock: () => 0 });
  let delivered = 0;
  let target = Number.POSITIVE_INFINITY;
  let allDelivered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    allDelivered = resolve;
  });
  const server = await SessionServer.start({
    event: (sessionId, event) => {
      model.ingest(sessionId, event);
      if (++delivered === target) allDelivered();
    },
    streamClosed: (sessionId, pid, t) => model.streamClosed(sessionId, pid, t),
  });
  try {
    const sessionId = model.openSession({ label: 'jobs.py', startedAt: 0 });
    const credentials = server.openSession(sessionId);
    const workload = buildWorkload(tasksPerWorker, credentials.token);
    const bytes = streamBytes(workload);
    target = workload.eventCount;
    const socketPath = credentials.env.MPSCOPE_ADDR.replace(/^unix:/, '');
    const send = (data: Buffer): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        // Done when the collector closed its side: it read the whole stream.
        const socket = net.createConnection(socketPath, () => socket.end(data));
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
    // At most this many connections at once: more would overflow the socket's listen backlog
    // (EAGAIN), which no real run does either (processes start over time).
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < bytes.length) {
        const data = bytes[next++] as Buffer;
        await send(data);
      }
    };
    // CPU time of this process, which here is both the collector and every sending "process":
    // the figure includes the senders' share, so the collector alone is faster than it shows.
    const started = cpuNow();
    await Promise.all(Array.from({ length: CONCURRENT_STREAMS }, sender));
    await done;
    const ms = cpuNow() - started;
    if (server.counters.invalidEvents > 0 || server.counters.rejectedHello > 0) {
      throw new Error(`the collector dropped events: ${JSON.stringify(server.counters)}`);
    }
    return { ms, events: workload.eventCount };
  } finally {
    await server.dispose();
  }
}

/** Every node of the tree, depth first, as the view asks for them when all is expanded. */
function walk(provider: ProcessTreeProvider, withItems: boolean): number {
  let nodes = 0;
  const visit = (element: ProcessTreeNode | undefined): void => {
    for (const child of provider.getChildren(element)) {
      nodes++;
      if (withItems) provider.getTreeItem(child);
      visit(child);
    }
  };
  visit(undefined);
  return nodes;
}

/** The node with the most children (the Pool, with its 199 workers). */
function widestNode(provider: ProcessTreeProvider): { node: ProcessTreeNode; children: number } {
  let widest: { node: ProcessTreeNode; children: number } | undefined;
  const visit = (element: ProcessTreeNode | undefined): void => {
    for (const child of provider.getChildren(element)) {
      const count = provider.getChildren(child).length;
      if (!widest || count > widest.children) widest = { node: child, children: count };
      visit(child);
    }
  };
  visit(undefined);
  if (!widest) throw new Error('the tree is empty');
  return widest;
}

export async function measureClient(): Promise<{ measurements: Measurement[]; workload: { events: number; processes: number } }> {
  const workload = buildWorkload(TASKS_PER_WORKER);
  const events = workload.eventCount;
  const allEvents: MpscopeEvent[] = workload.streams.flatMap((stream) => stream.events);
  const bytes = streamBytes(workload);
  const measurements: Measurement[] = [];
  const ingestGoal = { limit: 200_000, atLeast: true };

  progress('schema validation');
  const validateMs = await timeOf(() => {
    for (const event of allEvents) if (!isValidEvent(event)) throw new Error(`invalid event ${JSON.stringify(event)}`);
  });
  measurements.push({ name: 'schema validation only (isValidEvent)', value: rate(events, validateMs), unit: 'events/s', note: 'parsed objects' });

  progress('model ingest');
  const modelMs = await timeOf(() => ingestModelOnly(workload));
  measurements.push({ name: 'model ingest (model only)', value: rate(events, modelMs), unit: 'events/s', goal: ingestGoal, note: 'parsed, valid events → Model.ingest one by one' });

  progress('decode + validate + model');
  const decodedMs = await timeOf(() => {
    if (ingestDecoded(workload, bytes) !== events) throw new Error('not every event reached the model');
  });
  measurements.push({ name: 'decode + validate + model', value: rate(events, decodedMs), unit: 'events/s', goal: ingestGoal, note: 'bytes → LineDecoder → JSON.parse → schema → Model.ingest' });

  progress('socket → model');
  const socketRuns: number[] = [];
  await ingestThroughSocket(TASKS_PER_WORKER / 10);
  for (let round = 0; round < 3; round++) {
    const { ms, events: sent } = await ingestThroughSocket(TASKS_PER_WORKER);
    socketRuns.push(rate(sent, ms));
  }
  measurements.push({ name: 'socket → collector → model', value: median(socketRuns), unit: 'events/s', goal: ingestGoal, note: `${workload.streams.length} Unix-socket streams into SessionServer, median of 3` });

  progress('tree');
  const model = ingestModelOnly(workload);
  const sessionId = model.sessions()[0]?.id;
  if (!sessionId) throw new Error('no session');
  const processes = model.session(sessionId)?.processCount ?? 0;
  const provider = new ProcessTreeProvider(model);
  const [sessionNode] = provider.getChildren(undefined);
  if (!sessionNode) throw new Error('the tree has no session node');
  const widest = widestNode(provider);
  const treeGoal = { limit: 5, atLeast: false };

  measurements.push({
    name: `tree: getChildren(session), fresh provider`,
    value: await timeOf(() => {
      const fresh = new ProcessTreeProvider(model);
      fresh.getChildren(fresh.getChildren(undefined)[0]);
      fresh.dispose();
    }, 21, 3),
    unit: 'ms',
    goal: treeGoal,
    note: `${processes}-process session`,
  });
  measurements.push({
    name: `tree: getChildren of the widest node`,
    value: await timeOf(() => provider.getChildren(widest.node), 21, 3),
    unit: 'ms',
    goal: treeGoal,
    note: `${widest.node.type} with ${widest.children} children`,
  });
  let walked = 0;
  measurements.push({
    name: 'tree: every getChildren, all expanded',
    value: await timeOf(() => {
      walked = walk(provider, false);
    }, 21, 3),
    unit: 'ms',
    goal: treeGoal,
    note: `${walked} nodes, one getChildren each`,
  });
  measurements.push({
    name: 'tree: every getChildren + getTreeItem',
    value: await timeOf(() => walk(provider, true), 21, 3),
    unit: 'ms',
    note: 'what the view computes when every row is drawn',
  });
  provider.dispose();
  return { measurements, workload: { events, processes } };
}

/** The 1-minute load average and the number of cores: tells how busy the machine was. */
export function loadAverage(): string {
  return `${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores`;
}

function goalText(measurement: Measurement): string {
  if (!measurement.goal) return '';
  return `${measurement.goal.atLeast ? '≥' : '≤'} ${measurement.goal.limit.toLocaleString('en-US')} ${measurement.unit}`;
}

function met(measurement: Measurement): string {
  if (!measurement.goal) return '';
  return (measurement.goal.atLeast ? measurement.value >= measurement.goal.limit : measurement.value <= measurement.goal.limit) ? 'yes' : 'NO';
}

export function formatValue(measurement: Measurement): string {
  return measurement.unit === 'ms' ? `${measurement.value.toFixed(3)} ms` : `${measurement.value.toLocaleString('en-US')} ${measurement.unit}`;
}

export function measurementRows(measurements: readonly Measurement[]): string[][] {
  return measurements.map((m) => [m.name, formatValue(m), goalText(m), met(m), m.note]);
}

async function main(): Promise<void> {
  const { measurements, workload } = await measureClient();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ measurements, workload, load: loadAverage() }));
    return;
  }
  const rows = [['measure', 'value', 'goal', 'met', 'how'], ...measurementRows(measurements)];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(`${workload.events.toLocaleString('en-US')} events of a ${workload.processes}-process run; medians of CPU time, Node ${process.version}, load average ${loadAverage()}`);
  console.log([line(rows[0]!), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
