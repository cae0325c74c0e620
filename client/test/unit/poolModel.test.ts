// The model's pools, tasks and stack dumps: every event kind the runtime sends about them, in
// every order the streams can deliver them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import { objectId } from '../../src/model/objectIds';
import { MAX_FAILED_TASKS_PER_WORKER, MAX_RECENT_TASKS_PER_WORKER, MAX_SLOWEST_TASKS_PER_WORKER } from '../../src/model/tasks';
import { MAX_DUMPS_PER_PROCESS } from '../../src/model/stackDumps';
import type { SessionSnapshot } from '../../src/model/types';
import * as make from './helpers/events';
import { countInterleavings, interleavings } from './helpers/interleave';
import { feed, runModel, StreamItem } from './helpers/modelRun';

const site = { file: '/w/pool_job.py', line: 12, function: 'main' };

// main (100) creates a pool of two workers (201, 202), maps a function over 8 items; worker 202's
// second chunk raises. Then close() and join().
const mainStream: StreamItem[] = [
  make.hello(100, 50, 'main'),
  make.poolCreated(100, '100-1', { site, processes: 2, maxtasksperchild: null, start_method: 'fork' }),
  ...make.worker(100, '100-1', '100-1', 201),
  ...make.worker(100, '100-1', '100-2', 202),
  make.submitted(100, '100-1', { method: 'map', func: 'jobs.square', calls: 1, job: 0, chunksize: 2, items: 8, site }),
  make.poolClosed(100, '100-1'),
  make.exitedBy('parent', 100, 201, 0),
  make.exitedBy('parent', 100, 202, 0),
  make.poolJoined(100, '100-1'),
  make.exitedSelf(100, 0),
];
const worker201: StreamItem[] = [
  make.hello(201, 100, 'pool-worker', { name: 'ForkPoolWorker-1' }),
  make.taskFinished(201, 0, { index: 0, items: 2, duration: 1.5, started: 1002 }),
  make.taskCounters(201, 2, 0, { time: 1.6, max: 1.5 }),
];
const worker202: StreamItem[] = [
  make.hello(202, 100, 'pool-worker', { name: 'ForkPoolWorker-2' }),
  make.taskFinished(202, 0, { index: 3, items: 2, ok: false, exception: make.valueError, duration: 0.01, started: 1002.2 }),
  make.taskCounters(202, 1, 1, { time: 0.02, max: 0.01 }),
];

function poolOf(session: SessionSnapshot, id: string): SessionSnapshot['pools'][number] {
  const pool = session.pools.find((candidate) => candidate.id === id);
  assert.ok(pool, `no pool ${id}`);
  return pool;
}

function tasksOf(session: SessionSnapshot, key: string): SessionSnapshot['tasks'][number] {
  const tasks = session.tasks.find((candidate) => candidate.key === key);
  assert.ok(tasks, `no tasks for ${key}`);
  return tasks;
}

describe('Model: pools', () => {
  it('records a pool, its workers, what was submitted, and close then join', () => {
    const { session } = runModel([...mainStream, ...worker201, ...worker202]);
    const pool = poolOf(session, '100-1');
    assert.equal(pool.announced, true);
    assert.equal(pool.api, 'pool');
    assert.equal(pool.creatorPid, 100);
    assert.equal(pool.creatorKey, '100');
    assert.deepEqual(pool.site, site);
    assert.equal(pool.processes, 2);
    assert.equal(pool.maxtasksperchild, null);
    assert.equal(pool.startMethod, 'fork');
    assert.deepEqual(pool.workers, ['201', '202']);
    assert.equal(pool.state, 'joined');
    assert.equal(pool.closedAt, 1010);
    assert.equal(pool.joinedAt, 1012);
    assert.deepEqual(pool.submissions, [
      { method: 'map', func: 'jobs.square', calls: 1, items: 8, itemsUnknown: false, chunksize: 2, site, firstAt: 1002, lastAt: 1002 },
    ]);
    const worker = session.processes.find((p) => p.pid === 201);
    assert.equal(worker?.pool, '100-1');
    assert.equal(worker?.replacement, false);
    assert.equal(worker?.parentKey, '100', 'the process tree still nests workers under their parent');
  });

  it('reaches the same pools and tasks whatever order the streams are read in', () => {
    const streams = [mainStream.slice(0, 7), worker201, worker202];
    assert.ok(countInterleavings(streams.map((stream) => stream.length)) > 1000);
    let reference: string | undefined;
    let orders = 0;
    for (const order of interleavings(streams)) {
      orders++;
      if (orders % 7 !== 0) {
        continue; // a spread sample of the orders keeps the test fast
      }
      const { session } = runModel(order);
      const state = JSON.stringify({
        pools: session.pools,
        tasks: [...session.tasks].sort((a, b) => a.key.localeCompare(b.key)),
        workers: session.processes.filter((p) => p.pool !== null).map((p) => [p.key, p.pool, p.parentKey]).sort(),
      });
      reference ??= state;
      assert.equal(state, reference, `order ${orders} differs`);
    }
  });

  it('follows terminate() (by the finalizer) and an executor shutdown(wait, cancel_futures)', () => {
    const { session } = runModel([
      make.hello(100, 50, 'main'),
      make.poolCreated(100, '100-1'),
      make.poolTerminated(100, '100-1', { finalizer: true }),
      make.poolCreated(100, '100-2', { api: 'executor', processes: 4, class: 'concurrent.futures.process.ProcessPoolExecutor' }),
      make.poolClosed(100, '100-2', { wait: false, cancel_futures: true }),
    ]);
    const pool = poolOf(session, '100-1');
    assert.equal(pool.state, 'terminated');
    assert.equal(pool.finalized, true);
    const executor = poolOf(session, '100-2');
    assert.equal(executor.state, 'closed');
    assert.equal(executor.api, 'executor');
    assert.equal(executor.shutdownWait, false);
    assert.equal(executor.cancelFutures, true);
  });

  it('adds replacement workers after the ones they replace', () => {
    const { session } = runModel([
      make.hello(100, 50, 'main'),
      make.poolCreated(100, '100-1', { processes: 1, maxtasksperchild: 1 }),
      ...make.worker(100, '100-1', '100-1', 201),
      make.exitedBy('parent', 100, 201, 0),
      ...make.worker(100, '100-1', '100-2', 202, { replacement: true }),
    ]);
    assert.deepEqual(poolOf(session, '100-1').workers, ['201', '202']);
    assert.equal(session.processes.find((p) => p.pid === 202)?.replacement, true);
    assert.equal(session.processes.find((p) => p.pid === 201)?.replacement, false);
  });

  it('keeps a pool that only its workers named as a placeholder until it is announced', () => {
    const { model, sessionId, session } = runModel([make.hello(100, 50, 'main'), ...make.worker(100, '100-7', '100-1', 201)]);
    const placeholder = poolOf(session, '100-7');
    assert.equal(placeholder.announced, false);
    assert.equal(placeholder.api, null);
    assert.deepEqual(placeholder.workers, ['201']);
    feed(model, sessionId, [make.poolCreated(100, '100-7', { processes: 3 })]);
    const announced = poolOf(model.snapshot()[0], '100-7');
    assert.equal(announced.announced, true);
    assert.equal(announced.processes, 3);
    assert.deepEqual(announced.workers, ['201']);
  });

  it('sums map-family submissions per job and keeps folded apply counts cumulative', () => {
    const { session } = runModel([
      make.hello(100, 50, 'main'),
      make.poolCreated(100, '100-1'),
      make.submitted(100, '100-1', { method: 'map', calls: 1, job: 0, items: 10, chunksize: 3 }),
      make.submitted(100, '100-1', { method: 'map', calls: 2, job: 1, items: 5, chunksize: 1 }),
      make.submitted(100, '100-1', { method: 'map', calls: 2, job: 1, items: 5, chunksize: 1 }),
      make.submitted(100, '100-1', { method: 'imap', calls: 1, job: 2, items: null, chunksize: 1 }),
      make.submitted(100, '100-1', { method: 'apply_async', func: 'jobs.one', calls: 1, t: 1003 }),
      make.submitted(100, '100-1', { method: 'apply_async', func: 'jobs.one', calls: 40, t: 1004 }),
    ]);
    const byMethod = new Map(poolOf(session, '100-1').submissions.map((submission) => [submission.method, submission]));
    assert.equal(byMethod.get('map')?.items, 15, 'a repeated event of the same job is counted once');
    assert.equal(byMethod.get('map')?.calls, 2);
    assert.equal(byMethod.get('map')?.chunksize, 1);
    assert.equal(byMethod.get('imap')?.itemsUnknown, true);
    assert.equal(byMethod.get('apply_async')?.calls, 40);
    assert.equal(byMethod.get('apply_async')?.lastAt, 1004);
  });

  it('ignores (and counts) pool and task events of processes it does not know', () => {
    const { session } = runModel([make.taskCounters(999, 1, 0), make.taskFinished(999, 1)]);
    assert.equal(session.tasks.length, 0);
    assert.equal(session.ignoredEvents, 2);
  });
});

describe('Model: tasks per worker', () => {
  it('keeps counts, the failed task with its exception, and the slow task', () => {
    const { session } = runModel([...mainStream, ...worker201, ...worker202]);
    const slow = tasksOf(session, '201');
    assert.deepEqual(slow.counts, { done: 2, failed: 0, time: 1.6, max: 1.5 });
    assert.equal(slow.slowest.length, 1);
    assert.equal(slow.slowest[0]?.duration, 1.5);
    assert.equal(slow.slowest[0]?.items, 2);
    const failing = tasksOf(session, '202');
    assert.deepEqual(failing.counts, { done: 1, failed: 1, time: 0.02, max: 0.01 });
    assert.equal(failing.failed.length, 1);
    const task = failing.failed[0];
    assert.equal(task?.ok, false);
    assert.equal(task?.job, 0);
    assert.equal(task?.index, 3);
    assert.equal(task?.workerPid, 202);
    assert.deepEqual(task?.exception, make.valueError);
    assert.deepEqual(failing.slowest, [], 'a failed task is not a slow task');
  });

  it('never shows fewer tasks than it saw one by one when counters lag behind', () => {
    const { session } = runModel([
      make.hello(201, 100, 'pool-worker'),
      make.taskCounters(201, 0, 0, { time: 0, max: 0 }),
      make.taskFinished(201, 1, { duration: 2 }),
      make.taskFinished(201, 2, { duration: 1, ok: false, exception: make.valueError }),
    ]);
    assert.deepEqual(tasksOf(session, '201').counts, { done: 1, failed: 1, time: 3, max: 2 });
  });

  it('bounds failed, slowest and recent tasks, keeping the longest ones longest first', () => {
    const items: StreamItem[] = [make.hello(201, 100, 'pool-worker')];
    const failures = MAX_FAILED_TASKS_PER_WORKER + 7;
    for (let i = 0; i < failures; i++) {
      items.push(make.taskFinished(201, i, { ok: false, exception: make.valueError, duration: 0.001 }));
    }
    const durations = [0.5, 3, 0.2, 9, 1, 4, 3, 0.1, 7];
    durations.forEach((duration, i) => items.push(make.taskFinished(201, 1000 + i, { duration })));
    for (let i = 0; i < 2 * MAX_RECENT_TASKS_PER_WORKER; i++) {
      items.push(make.taskFinished(201, 5000 + i, { duration: 0.002 }));
    }
    const tasks = tasksOf(runModel(items).session, '201');
    assert.equal(tasks.failed.length, MAX_FAILED_TASKS_PER_WORKER);
    assert.equal(tasks.failedDropped, 7);
    assert.equal(tasks.failed[0]?.job, 0, 'the first failures are kept');
    assert.deepEqual(tasks.slowest.map((task) => task.duration), [9, 7, 4, 3, 3].slice(0, MAX_SLOWEST_TASKS_PER_WORKER));
    assert.equal(tasks.recent.length, MAX_RECENT_TASKS_PER_WORKER);
    assert.equal(tasks.recent[tasks.recent.length - 1]?.job, 5000 + 2 * MAX_RECENT_TASKS_PER_WORKER - 1);
    assert.equal(tasks.counts.failed, failures);
  });

  it('finds a kept task by id', () => {
    const { model, sessionId } = runModel([...mainStream, ...worker201, ...worker202]);
    const view = model.session(sessionId);
    const failed = view?.objects.tasksOf('202')?.failed[0];
    assert.ok(failed);
    assert.equal(view?.objects.task(failed.id), failed);
    assert.equal(view?.objects.task('202/t999'), undefined);
  });

  it('tells trackers which worker and which pool changed', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x' });
    feed(model, id, [...mainStream.slice(0, 6), ...worker201.slice(0, 1)]);
    const tracker = model.createChangeTracker();
    feed(model, id, [make.taskCounters(201, 5, 0)]);
    const changes = tracker.take();
    assert.deepEqual([...(changes.processes.get(id) ?? [])], ['201']);
    assert.deepEqual([...(changes.objects.get(id) ?? [])], [objectId('pool', '100-1')]);
    assert.equal(changes.structure.size, 0);
  });
});

describe('Model: stack dumps', () => {
  it('remembers how each process can be asked, and the answers about it', () => {
    const support = { via: 'signal', signal: 'SIGURG', file: '/tmp/mpscope-1/stacks-201.txt', sigquit: false } as const;
    const { model, sessionId, session } = runModel([
      make.hello(100, 50, 'main', { stacks: { via: 'request' } }),
      make.hello(201, 100, 'process', { stacks: support }),
      make.hello(202, 100, 'process'),
      make.stacks(100, { request: 'r1' }),
      make.stacks(50, { reporter: 'collector', child_pid: 201, reason: 'sigquit' }),
    ]);
    const view = model.session(sessionId);
    assert.deepEqual(view?.objects.stacksSupport('201'), support);
    assert.deepEqual(view?.objects.stacksSupport('100'), { via: 'request' });
    assert.equal(view?.objects.stacksSupport('202'), null);
    assert.equal(view?.objects.stackDumps('100')[0]?.request, 'r1');
    const dump = view?.objects.stackDumps('201')[0];
    assert.equal(dump?.reporter, 'collector');
    assert.equal(dump?.reason, 'sigquit');
    assert.deepEqual(dump?.threads, [make.blockedMainThread]);
    assert.deepEqual(session.stacks.map((entry) => [entry.key, entry.dumps.length]), [['100', 1], ['201', 1]]);
  });

  it('keeps the latest dumps of a process, and an unanswered request with its error', () => {
    const items: StreamItem[] = [make.hello(100, 50, 'main', { stacks: { via: 'request' } })];
    for (let i = 0; i < MAX_DUMPS_PER_PROCESS + 3; i++) {
      items.push(make.stacks(100, { request: `r${i}`, t: 1100 + i }));
    }
    items.push(make.stacks(100, { threads: [], error: 'no answer within 5.0 s', request: 'last' }));
    const dumps = runModel(items).session.stacks[0]?.dumps ?? [];
    assert.equal(dumps.length, MAX_DUMPS_PER_PROCESS);
    assert.equal(dumps[dumps.length - 1]?.error, 'no answer within 5.0 s');
    assert.equal(dumps[0]?.request, `r${4}`);
  });

  it('ignores stacks about a process it does not know', () => {
    const { session } = runModel([make.stacks(77)]);
    assert.equal(session.stacks.length, 0);
    assert.equal(session.ignoredEvents, 1);
  });
});
