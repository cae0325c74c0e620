// What the Processes view shows for pools, tasks, the Helpers group and the status bar, and the
// contextValues its menus match on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { SessionView } from '../../src/model/session';
import type { PoolSnapshot, ProcessSnapshot, TaskSnapshot } from '../../src/model/types';
import { ownedContextValue, poolContextValue, processContextValue, taskContextValue } from '../../src/views/contextValues';
import {
  objectDescription,
  objectIcon,
  objectsDescription,
  objectTooltip,
  queueDescription,
  helpersDescription,
  poolDescription,
  poolIcon,
  poolLabel,
  poolTaskCounts,
  poolTooltip,
  submissionText,
  taskDescription,
  taskIcon,
  taskLabel,
  taskTooltip,
} from '../../src/views/objectPresentation';
import { ownedLabel } from '../../src/views/ownedLabels';
import { processContext, processIcon, processTooltip } from '../../src/views/processPresentation';
import { statusSummary } from '../../src/views/statusSummary';
import * as make from './helpers/events';
import { feed, runModel, StreamItem } from './helpers/modelRun';

const poolRun: StreamItem[] = [
  make.hello(100, 50, 'main'),
  make.poolCreated(100, '100-1', { site: { file: '/w/job.py', line: 8, function: 'main' }, processes: 2, maxtasksperchild: 5, initializer: 'job.init' }),
  ...make.worker(100, '100-1', '100-1', 201),
  ...make.worker(100, '100-1', '100-2', 202),
  make.hello(201, 100, 'pool-worker'),
  make.hello(202, 100, 'pool-worker'),
  make.submitted(100, '100-1', { method: 'map', func: 'job.square', calls: 1, job: 0, chunksize: 2, items: 8 }),
  make.taskFinished(201, 0, { index: 1, items: 2, duration: 2.5, func: 'job.square' }),
  make.taskFinished(202, 0, { index: 3, items: 2, ok: false, exception: make.valueError, duration: 0.01, func: 'job.square' }),
  make.taskCounters(201, 3, 0, { time: 3, max: 2.5 }),
  make.taskCounters(202, 2, 1, { time: 0.5, max: 0.3 }),
];

function viewOf(items: readonly StreamItem[]): SessionView {
  const { model, sessionId } = runModel(items);
  const session = model.session(sessionId);
  assert.ok(session);
  return session;
}

function poolIn(session: SessionView): PoolSnapshot {
  const pool = session.objects.pool('100-1');
  assert.ok(pool);
  return pool;
}

function workersOf(session: SessionView, pool: PoolSnapshot): ProcessSnapshot[] {
  return pool.workers.map((key) => session.process(key)).filter((p): p is ProcessSnapshot => p !== undefined);
}

function countsOf(session: SessionView, pool: PoolSnapshot): ReturnType<typeof poolTaskCounts> {
  return poolTaskCounts(pool.workers.map((key) => session.objects.tasksOf(key)?.counts));
}

function failedTask(session: SessionView): TaskSnapshot {
  const task = session.objects.tasksOf('202')?.failed[0];
  assert.ok(task);
  return task;
}

describe('pool presentation', () => {
  it('labels pools and executors, with a user subclass by its own name', () => {
    const session = viewOf(poolRun);
    assert.equal(poolLabel(poolIn(session)), 'Pool');
    const executor = viewOf([make.poolCreated(100, '100-1', { api: 'executor', class: 'concurrent.futures.process.ProcessPoolExecutor' })]);
    assert.equal(poolLabel(poolIn(executor)), 'ProcessPoolExecutor');
    const mine = viewOf([make.poolCreated(100, '100-1', { class: 'app.TracingPool' })]);
    assert.equal(poolLabel(poolIn(mine)), 'TracingPool (Pool)');
  });

  it('describes state, workers alive and the tasks of all its workers', () => {
    const session = viewOf(poolRun);
    const pool = poolIn(session);
    assert.deepEqual(countsOf(session, pool), { done: 5, failed: 1, time: 3.5, max: 2.5 });
    assert.equal(poolDescription(pool, workersOf(session, pool), countsOf(session, pool)), 'running · 2 workers · 5 done · 1 failed');
    assert.deepEqual(poolIcon(pool, countsOf(session, pool)), { id: 'server-process', color: 'testing.iconFailed' });
    const { model, sessionId } = runModel([...poolRun, make.poolClosed(100, '100-1'), make.exitedBy('parent', 100, 201, 0), make.poolJoined(100, '100-1')]);
    const ended = model.session(sessionId);
    assert.ok(ended);
    const joined = poolIn(ended);
    assert.equal(poolDescription(joined, workersOf(ended, joined), undefined), 'joined · 1/2 workers alive');
    assert.deepEqual(poolIcon(joined, undefined), { id: 'server-process' });
  });

  it('explains the pool in its tooltip: site, size, initializer, submissions', () => {
    const session = viewOf(poolRun);
    const pool = poolIn(session);
    const tooltip = poolTooltip(pool, countsOf(session, pool));
    assert.match(tooltip, /Created at: \/w\/job\\\.py\\:8 in main/);
    assert.match(tooltip, /Workers: 2, each replaced after 5 tasks/);
    assert.match(tooltip, /Initializer: job\\\.init/);
    assert.match(tooltip, /Tasks: 5 done, 1 failed/);
    assert.equal(submissionText(pool.submissions[0] as PoolSnapshot['submissions'][number]), 'map(job.square): 1 call, 8 items, chunksize 2');
  });
});

describe('task presentation', () => {
  it('shows a failed task with its exception, a slow one with its time and place', () => {
    const session = viewOf(poolRun);
    const failed = failedTask(session);
    assert.equal(taskLabel(failed), 'square');
    assert.equal(taskDescription(failed), 'failed · ValueError: bad input · 10 ms');
    assert.deepEqual(taskIcon(failed), { id: 'error', color: 'testing.iconFailed' });
    const slow = session.objects.tasksOf('201')?.slowest[0];
    assert.ok(slow);
    assert.equal(taskDescription(slow), 'slow · 2.5 s · job 0 · chunk 1 (2 items)');
    assert.deepEqual(taskIcon(slow), { id: 'watch', color: 'charts.yellow' });
  });

  it('puts the exception, where it was raised and the escaped traceback in the tooltip', () => {
    const tooltip = taskTooltip(failedTask(viewOf(poolRun)));
    assert.match(tooltip, /\*\*ValueError\*\*: bad input/);
    assert.match(tooltip, /Raised at: \/w\/crash\\\.py\\:5 in work/);
    assert.match(tooltip, /```text\nTraceback \(most recent call last\):/);
    const hostile = viewOf([
      make.hello(202, 100, 'pool-worker'),
      make.taskFinished(202, 1, { ok: false, exception: { type: '<script>', message: '[x](command:evil)' }, func: '<b>f</b>' }),
    ]);
    const text = taskTooltip(failedTask(hostile));
    assert.doesNotMatch(text, /<script>|<b>|\]\(command/);
  });

  it('says when the worker died while running the task', () => {
    const session = viewOf([make.hello(202, 100, 'pool-worker'), make.taskFinished(202, 4, { ok: false, exitcode: 3 })]);
    const task = failedTask(session);
    assert.equal(taskDescription(task), 'failed · the worker exited (3) while running it · 250 ms');
    assert.match(taskTooltip(task), /ended while running it, with exit code 3/);
  });
});

describe('helpers and status bar', () => {
  it('counts the helpers and how many still run', () => {
    const session = viewOf([make.hello(100, 50, 'main'), make.hello(150, 100, 'resource-tracker'), make.hello(160, 100, 'manager'), make.exitedSelf(160, 0)]);
    const helpers = [...session.allProcesses()].filter((p) => p.role !== 'main');
    assert.equal(helpersDescription(helpers), '2 processes · 1 running');
  });

  it('counts running and failed processes of the running sessions, else of the newest one; hides without sessions', () => {
    const model = new Model();
    assert.equal(statusSummary(model.sessions()), undefined);
    const first = model.openSession({ label: 'old.py' });
    feed(model, first, [make.hello(1, 0, 'main'), make.exitedSelf(1, 1)]);
    model.endSession(first);
    assert.equal(statusSummary(model.sessions())?.text, '$(pulse) 0 running · 1 failed');
    const second = model.openSession({ label: 'new.py' });
    feed(model, second, [make.hello(10, 0, 'main'), make.hello(11, 10, 'process'), make.hello(12, 10, 'process'), make.exitedSelf(12, 0, make.valueError)]);
    const summary = statusSummary(model.sessions());
    assert.equal(summary?.text, '$(pulse) 2 running · 1 failed');
    assert.match(summary?.tooltip ?? '', /Running session: new\.py/);
  });
});

describe('context values (menus)', () => {
  const menus = JSON.parse(readFileSync(new URL('../../../../package.json', `file://${__filename}`), 'utf8')) as {
    contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
  };
  /** Whether the `viewItem =~ /…/` clause of a menu entry for `command` matches `value`. */
  const offered = (command: string, value: string): boolean =>
    menus.contributes.menus['view/item/context']?.some((entry) => {
      const match = /viewItem =~ \/(.*)\//.exec(entry.when ?? '');
      return entry.command === command && match !== null && new RegExp(match[1] as string).test(value);
    }) ?? false;

  it('offers terminate, kill and stack dumps only for live processes that can take them', () => {
    const session = viewOf([
      make.hello(100, 50, 'main', { stacks: { via: 'request' } }),
      make.created(100, '100-1', { site: { file: '/w/a.py', line: 3 } }),
      make.started(100, '100-1', 101),
      make.hello(101, 100, 'process'),
      make.exitedSelf(101, 0),
    ]);
    const main = session.process('100');
    const child = session.process('101');
    assert.ok(main && child);
    const mainValue = processContextValue(main, { aliveInOs: false, canDumpStacks: true });
    const childValue = processContextValue(child, { aliveInOs: false, canDumpStacks: false });
    assert.equal(mainValue, 'mpscope.process.running.alive.stacks');
    assert.equal(childValue, 'mpscope.process.exited.site');
    for (const command of ['mpscope.killProcess', 'mpscope.terminateProcess', 'mpscope.dumpStacks', 'mpscope.copyPid']) {
      assert.equal(offered(command, mainValue), true, command);
    }
    assert.equal(offered('mpscope.killProcess', childValue), false);
    assert.equal(offered('mpscope.dumpStacks', childValue), false);
    assert.equal(offered('mpscope.copyPid', childValue), true);
    assert.equal(offered('mpscope.revealCreationSite', childValue), true);
    assert.equal(offered('mpscope.revealCreationSite', mainValue), false);
    // A survivor still listed by the OS can be killed even though its record says it ended.
    assert.equal(processContextValue(child, { aliveInOs: true, canDumpStacks: false }), 'mpscope.process.exited.alive.site');
  });

  it('lets pools and tasks with a source location reveal it', () => {
    const session = viewOf(poolRun);
    const poolValue = poolContextValue(poolIn(session));
    assert.equal(poolValue, 'mpscope.pool.running.site');
    assert.equal(offered('mpscope.revealCreationSite', poolValue), true);
    const taskValue = taskContextValue(failedTask(session));
    assert.equal(taskValue, 'mpscope.task.failed.site');
    assert.equal(offered('mpscope.revealCreationSite', taskValue), true);
    assert.equal(offered('mpscope.killProcess', taskValue), false);
  });

  it('has an icon for each state of a process', () => {
    for (const state of ['starting', 'running', 'exited', 'failed', 'killed', 'lost', 'zombie', 'orphan'] as const) {
      assert.ok(processIcon(state).id.length > 0, state);
    }
  });
});

describe('queues, pipes, locks, managers and shared objects', () => {
  const run: StreamItem[] = [
    make.hello(100, 50, 'main'),
    make.hello(201, 100, 'process'),
    make.queueCreated(100, 'mp-q1', { maxsize: 10, site: { file: '/w/p.py', line: 4 } }),
    make.queueCounters(201, 'mp-q1', 12, 0),
    make.queueCounters(100, 'mp-q1', 0, 9, { backlog: 3 }),
    make.queueBlocked(100, 'mp-q1', { op: 'get', waited: 2, outcome: 'timeout', site: { file: '/w/p.py', line: 20 } }),
    make.syncCreated(100, 'mp-l1', { site: { file: '/w/p.py', line: 5 } }),
    make.syncWait(201, 'mp-l1', { waited: 3, holder_pid: 100, site: { file: '/w/p.py', line: 30, function: 'work' } }),
    make.pipeCreated(100, '100-p', ['100-p1', '100-p2']),
    make.pipeCounters(201, '100-p2', 4, 1),
    make.managerCreated(100, '100-m', { server_pid: 150 }),
    make.sharedCreated(100, 'mp-a', { shared_kind: 'Array', typecode: 'd', length: 8, size: 64, lock: true }),
    make.sharedCreated(100, 'mp-m', { shared_kind: 'manager', typeid: 'dict', manager_address: '/tmp/x' }),
  ];

  it('labels and describes each kind', () => {
    const session = viewOf(run);
    const text = (kind: 'queue' | 'sync' | 'pipe' | 'manager' | 'shared', id: string): string => {
      const object = session.objects.owned(kind, id);
      assert.ok(object, `${kind} ${id}`);
      return `${ownedLabel(object)} — ${objectDescription(object)}`;
    };
    assert.equal(text('queue', 'mp-q1'), 'Queue — backlog 3/10 · 12 put · 9 got · 1 long wait');
    assert.equal(text('sync', 'mp-l1'), 'Lock — 1 long wait · longest 3.0 s · held by pid 100');
    assert.equal(text('pipe', '100-p'), 'Pipe — 4 sent · 1 received');
    assert.equal(text('manager', '100-m'), 'SyncManager — server pid 150');
    assert.equal(text('shared', 'mp-a'), "Array('d', 8) — 64 bytes · with lock");
    assert.equal(text('shared', 'mp-m'), 'Manager dict — in a Manager');
    const lock = session.objects.owned('sync', 'mp-l1');
    assert.ok(lock);
    assert.deepEqual(objectIcon(lock), { id: 'lock', color: 'charts.yellow' });
    assert.equal(ownedContextValue(lock), 'mpscope.sync.site');
    const grouped = ['sync', 'pipe', 'manager', 'shared'].flatMap((kind) => session.objects.ownedCreatedBy(kind as 'sync', '100'));
    assert.equal(objectsDescription(grouped), '1 lock · 1 pipe · 1 manager · 2 shared objects');
  });

  it('estimates a backlog nobody could read from puts and gets', () => {
    const session = viewOf([make.hello(100, 50, 'main'), make.queueCreated(100, 'q', { queue_kind: 'SimpleQueue' }), make.queueCounters(100, 'q', 5, 2)]);
    const queue = session.objects.owned('queue', 'q');
    assert.ok(queue?.kind === 'queue');
    assert.equal(queueDescription(queue.record), '≈3 queued · 5 put · 2 got');
  });

  it('tells who waited, where and for whom, in the tooltips of the object and of the process', () => {
    // The Markdown escapes every punctuation character; read it as the user does.
    const plain = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');
    const session = viewOf(run);
    const lock = session.objects.owned('sync', 'mp-l1');
    assert.ok(lock);
    assert.match(plain(objectTooltip(lock)), /- pid 201 waited 3\.0 s to acquire Lock at \/w\/p\.py:30 in work \(held by pid 100\)/);
    const queue = session.objects.owned('queue', 'mp-q1');
    assert.ok(queue);
    assert.match(plain(objectTooltip(queue)), /- pid 100 waited 2\.0 s in get\(\) on Queue at \/w\/p\.py:20, timed out/);
    const process = session.process('201');
    assert.ok(process);
    assert.match(plain(processTooltip(process, processContext(session, process))), /Long wait: waited 3\.0 s to acquire Lock at \/w\/p\.py:30 in work \(held by pid 100\)/);
  });

  it('escapes what the program named', () => {
    const session = viewOf([make.hello(100, 50, 'main'), make.sharedCreated(100, 's', { shared_kind: 'SharedMemory', name: '[x](command:evil)' })]);
    const shared = session.objects.owned('shared', 's');
    assert.ok(shared);
    assert.doesNotMatch(objectTooltip(shared), /\[x\]\(command/);
  });
});
