// Benchmark (not a test): what the model and the Processes view cost on large sessions. Prints a
// table of medians over several rounds. Run after `npm run build`:
//   node out/client/test/bench/processViewBench.js
// The tree is the real ProcessTreeProvider; the `vscode` module it imports is replaced by a
// minimal stand-in (plain TreeItem objects), so the figures are the provider's own work without
// the workbench's rendering.
import { Model } from '../../src/model/model';
import type { MpscopeEvent } from '../../src/protocol/events';
import * as make from '../unit/helpers/events';
import { installFakeVscode } from '../unit/helpers/fakeVscode';

const ROUNDS = 9;

installFakeVscode();

// Imported after the stand-in is in place.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ProcessTreeProvider } = require('../../src/views/processTree') as typeof import('../../src/views/processTree');
type Node = import('../../src/views/processTree').ProcessTreeNode;

// ---- measuring -----------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function measure(run: () => unknown, rounds = ROUNDS, warmup = 3): number {
  for (let round = 0; round < warmup; round++) {
    run();
  }
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

// ---- sessions ------------------------------------------------------------------------------

/**
 * 1,000 processes as a program makes them: main starts 4 pools of 8 workers (each worker runs
 * tasks, one in 7 fails), 60 plain children that start 15 children each, and helpers.
 */
function bigRun(): MpscopeEvent[] {
  const events: MpscopeEvent[] = [make.hello(1, 0, 'main', { t: 100 })];
  let pid = 2;
  events.push(make.created(1, '1-rt', { role: 'resource-tracker', name: 'resource tracker' }), make.started(1, '1-rt', pid), make.hello(pid, 1, 'resource-tracker'));
  pid++;
  for (let pool = 1; pool <= 4; pool++) {
    events.push(make.poolCreated(1, `1-${pool}`, { processes: 8, site: { file: '/w/big.py', line: 20 } }));
    for (let worker = 0; worker < 8; worker++, pid++) {
      events.push(...make.worker(1, `1-${pool}`, `1-w${pid}`, pid), make.hello(pid, 1, 'pool-worker'));
      for (let task = 0; task < 20; task++) {
        events.push(make.taskFinished(pid, task, task % 7 === 0 ? { ok: false, exception: make.valueError, duration: 0.01 } : { duration: task / 10 }));
      }
      events.push(make.taskCounters(pid, 17, 3));
    }
  }
  while (pid <= 1000) {
    const parent = pid;
    events.push(make.created(1, `1-${parent}`, { name: `child-${parent}`, site: { file: '/w/big.py', line: 30 } }), make.started(1, `1-${parent}`, parent), make.hello(parent, 1, 'process'));
    pid++;
    for (let grandchild = 0; grandchild < 15 && pid <= 1000; grandchild++, pid++) {
      events.push(make.created(parent, `${parent}-${pid}`, { name: `grandchild-${pid}` }), make.started(parent, `${parent}-${pid}`, pid), make.hello(pid, parent, 'process'));
      events.push(pid % 13 === 0 ? make.exitedSelf(pid, 1, make.valueError, 200) : make.exitedBy('parent', parent, pid, 0, undefined, 200));
    }
  }
  return events;
}

/** A flat session: main with 1,000 direct children (the widest single getChildren). */
function flatRun(): MpscopeEvent[] {
  const events: MpscopeEvent[] = [make.hello(1, 0, 'main')];
  for (let pid = 2; pid <= 1001; pid++) {
    events.push(make.created(1, `1-${pid}`, { name: `worker-${pid}` }), make.started(1, `1-${pid}`, pid), make.hello(pid, 1, 'process'));
  }
  return events;
}

/** Hot traffic: 8 workers reporting every task (full detail) and their counters. */
function taskTraffic(count: number): MpscopeEvent[] {
  const events: MpscopeEvent[] = [make.hello(1, 0, 'main'), make.poolCreated(1, '1-1', { processes: 8 })];
  for (let worker = 2; worker < 10; worker++) {
    events.push(...make.worker(1, '1-1', `1-${worker}`, worker), make.hello(worker, 1, 'pool-worker'));
  }
  for (let index = 0; index < count; index++) {
    const worker = 2 + (index % 8);
    events.push(index % 2 === 0
      ? make.taskFinished(worker, index, { index, started: 1000 + index / 1000, duration: 0.002 })
      : make.taskCounters(worker, index, 0, { time: index / 500, max: 0.002 }));
  }
  return events;
}

function sessionWith(events: readonly MpscopeEvent[]): { model: Model; id: string } {
  const model = new Model();
  const id = model.openSession({ label: 'big.py' });
  model.ingestAll(id, events);
  return { model, id };
}

/** As the collector feeds it: one ingest (and one change notification) per event, a view tracking changes. */
function ingestLive(events: readonly MpscopeEvent[]): void {
  const model = new Model();
  const tracker = model.createChangeTracker();
  let notified = 0;
  model.onDidChange(() => notified++);
  const id = model.openSession({ label: 'big.py' });
  for (const event of events) {
    model.ingest(id, event);
  }
  tracker.take();
}

/** Everything VS Code asks when it shows the whole tree expanded: children and items. */
function walk(provider: InstanceType<typeof ProcessTreeProvider>): number {
  let nodes = 0;
  const visit = (element: Node | undefined): void => {
    for (const child of provider.getChildren(element)) {
      provider.getTreeItem(child);
      nodes++;
      visit(child);
    }
  };
  visit(undefined);
  return nodes;
}

// ---- the table -----------------------------------------------------------------------------

const rows: Array<[string, string, string]> = [];

{
  const lifecycle = bigRun();
  const ms = measure(() => ingestLive(lifecycle), 7, 2);
  rows.push(['model ingest: a 1,000-process run with pools and tasks', `${lifecycle.length} events`, `${Math.round(lifecycle.length / (ms / 1000)).toLocaleString('en-US')} events/s`]);
}
{
  const traffic = taskTraffic(400_000);
  const ms = measure(() => ingestLive(traffic), 5, 1);
  rows.push(['model ingest: task.finished + task.counters, 8 workers', `${traffic.length} events`, `${Math.round(traffic.length / (ms / 1000)).toLocaleString('en-US')} events/s`]);
}
{
  const { model, id } = sessionWith(bigRun());
  const provider = new ProcessTreeProvider(model);
  const sessionNode = provider.nodeFor(id);
  const count = walk(provider);
  rows.push(['tree: getChildren of the session (1,000 processes)', '1 call', `${measure(() => provider.getChildren(sessionNode)).toFixed(3)} ms`]);
  rows.push(['tree: getChildren + getTreeItem of every node (1,000 processes)', `${count} nodes`, `${measure(() => walk(provider)).toFixed(2)} ms`]);
  provider.setFilter({ text: 'failed', words: ['failed'] });
  rows.push(['tree: the same walk with the filter "failed"', `${walk(provider)} nodes`, `${measure(() => { provider.setFilter({ text: 'failed', words: ['failed'] }); walk(provider); }).toFixed(2)} ms`]);
  provider.dispose();
}
{
  const { model, id } = sessionWith(flatRun());
  const provider = new ProcessTreeProvider(model);
  const main = provider.nodeFor(id, '1');
  rows.push(['tree: getChildren of a process with 1,000 children', '1 call', `${measure(() => provider.getChildren(main)).toFixed(3)} ms`]);
  rows.push(['tree: getChildren + getTreeItem of its 1,000 children', '1,000 items', `${measure(() => provider.getChildren(main).forEach((child) => provider.getTreeItem(child))).toFixed(2)} ms`]);
  provider.dispose();
}

const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length), ['what', 'size', 'median'][column]?.length ?? 0));
const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
console.log(`Processes view and model (node ${process.version}, median of ${ROUNDS} rounds unless noted)`);
console.log(line(['what', 'size', 'median']));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) {
  console.log(line(row));
}
process.exit(0);
