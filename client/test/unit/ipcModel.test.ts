// The model's queues, pipes, locks, managers and shared objects: every event kind the runtime
// sends about them, events that arrive before the creation they refer to, and long waits filed
// under both the object and the process that waited.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import { objectId } from '../../src/model/objectIds';
import { MAX_WAITS_PER_OBJECT, MAX_WAITS_PER_PROCESS } from '../../src/model/waits';
import type { SessionSnapshot } from '../../src/model/types';
import * as make from './helpers/events';
import { countInterleavings, interleavings } from './helpers/interleave';
import { feed, runModel, StreamItem } from './helpers/modelRun';

const site = { file: '/w/pipeline.py', line: 10, function: 'main' };

// main (100) creates a queue, a pipe and a lock, and starts a producer (201) and a consumer (202).
const mainStream: StreamItem[] = [
  make.hello(100, 50, 'main'),
  make.queueCreated(100, 'mp-q1', { maxsize: 10, site }),
  make.pipeCreated(100, '100-1', ['100-2', '100-3'], { duplex: false }),
  make.syncCreated(100, 'mp-l1', { site: { ...site, line: 12 } }),
  make.created(100, '100-4', { name: 'producer' }),
  make.started(100, '100-4', 201),
  make.created(100, '100-5', { name: 'consumer' }),
  make.started(100, '100-5', 202),
];
const producer: StreamItem[] = [
  make.hello(201, 100, 'process'),
  make.queueCounters(201, 'mp-q1', 5, 0, { backlog: 5, t: 1010 }),
  make.pipeCounters(201, '100-3', 2, 0),
  make.syncWait(201, 'mp-l1', { holder_pid: 202, waited: 2.5 }),
];
const consumer: StreamItem[] = [
  make.hello(202, 100, 'process'),
  make.queueCounters(202, 'mp-q1', 0, 3, { backlog: 2, t: 1011 }),
  make.queueBlocked(202, 'mp-q1', { op: 'get', waited: 1.2, outcome: 'timeout' }),
  make.pipeBlocked(202, '100-2', { op: 'recv' }),
  make.pipeCounters(202, '100-2', 0, 2),
  make.queueLeftover(202, 'mp-q1', 2, 0),
];

function queueIn(session: SessionSnapshot, id: string): SessionSnapshot['queues'][number] {
  const queue = session.queues.find((candidate) => candidate.id === id);
  assert.ok(queue, `no queue ${id}`);
  return queue;
}

describe('Model: queues', () => {
  it('adds up what every process put and took, keeps the newest backlog, long waits and leftovers', () => {
    const { session } = runModel([...mainStream, ...producer, ...consumer]);
    const queue = queueIn(session, 'mp-q1');
    assert.equal(queue.announced, true);
    assert.equal(queue.queueKind, 'Queue');
    assert.equal(queue.maxsize, 10);
    assert.equal(queue.creatorKey, '100');
    assert.deepEqual(queue.site, site);
    assert.equal(queue.puts, 5);
    assert.equal(queue.gets, 3);
    assert.equal(queue.backlog, 2, 'the reading taken last (t 1011)');
    assert.deepEqual(queue.uses.map((use) => [use.key, use.puts, use.gets]), [['201', 5, 0], ['202', 0, 3]]);
    assert.equal(queue.waitCount, 1);
    assert.deepEqual(queue.waits[0], {
      object: { kind: 'queue', id: 'mp-q1' },
      key: '202',
      pid: 202,
      op: 'get',
      since: 1004,
      waited: 1.2,
      outcome: 'timeout',
      holderPid: null,
      site: null,
    });
    assert.deepEqual(queue.leftovers, [{ key: '202', pid: 202, backlog: 2, buffered: 0, t: 1009 }]);
  });

  it('replaces a process\'s running totals instead of adding them twice', () => {
    const { session } = runModel([...mainStream.slice(0, 2), make.queueCounters(100, 'mp-q1', 3, 1), make.queueCounters(100, 'mp-q1', 4, 2, { task_done: 2, joins: 1 })]);
    const queue = queueIn(session, 'mp-q1');
    assert.deepEqual([queue.puts, queue.gets, queue.taskDone, queue.joins], [4, 2, 2, 1]);
  });

  it('keeps a queue first heard of in a counter as a placeholder until it is announced', () => {
    const { model, sessionId, session } = runModel([make.hello(202, 100, 'process'), make.queueCounters(202, 'mp-q9', 0, 1)]);
    assert.equal(queueIn(session, 'mp-q9').announced, false);
    assert.equal(model.session(sessionId)?.objects.ownedCreatedBy('queue', '100').length, 0);
    feed(model, sessionId, [make.hello(100, 50, 'main'), make.queueCreated(100, 'mp-q9', { queue_kind: 'JoinableQueue' })]);
    const announced = queueIn(model.snapshot()[0] as SessionSnapshot, 'mp-q9');
    assert.equal(announced.announced, true);
    assert.equal(announced.queueKind, 'JoinableQueue');
    assert.equal(announced.gets, 1);
    assert.deepEqual(model.session(sessionId)?.objects.ownedCreatedBy('queue', '100').map((object) => object.record.id), ['mp-q9']);
  });
});

describe('Model: pipes', () => {
  it('files what each end did under its pipe, also when the ends speak before the pipe is known', () => {
    const streams = [mainStream.slice(0, 3), [make.hello(201, 100, 'process'), make.pipeCounters(201, '100-3', 2, 0)], [make.hello(202, 100, 'process'), make.pipeBlocked(202, '100-2'), make.pipeCounters(202, '100-2', 0, 2)]];
    assert.ok(countInterleavings(streams.map((stream) => stream.length)) > 100);
    let reference: string | undefined;
    for (const order of interleavings(streams)) {
      const { session } = runModel(order);
      const pipe = session.pipes.find((candidate) => candidate.id === '100-1');
      assert.ok(pipe);
      assert.equal(pipe.sends, 2);
      assert.equal(pipe.recvs, 2);
      assert.equal(pipe.waitCount, 1);
      const state = JSON.stringify({ ...pipe, uses: [...pipe.uses].sort((a, b) => a.key.localeCompare(b.key)) });
      reference ??= state;
      assert.equal(state, reference);
    }
  });

  it('records a one-way pipe with its two ends', () => {
    const pipe = runModel(mainStream.slice(0, 3)).session.pipes[0];
    assert.equal(pipe?.duplex, false);
    assert.deepEqual(pipe?.ends, ['100-2', '100-3']);
  });
});

describe('Model: locks and other synchronization', () => {
  it('records who waited, how long, and who held the lock', () => {
    const { session } = runModel([...mainStream, ...producer, ...consumer, make.syncWait(202, 'mp-l1', { waited: 0.5, holder_pid: 201, outcome: 'interrupted' })]);
    const lock = session.syncs.find((candidate) => candidate.id === 'mp-l1');
    assert.equal(lock?.syncKind, 'Lock');
    assert.equal(lock?.waitCount, 2);
    assert.equal(lock?.longestWait, 2.5);
    assert.deepEqual(lock?.waits.map((wait) => [wait.pid, wait.holderPid, wait.outcome]), [[201, 202, 'ok'], [202, 201, 'interrupted']]);
  });

  it('knows semaphores, barriers and waits on primitives it never saw created', () => {
    const { session } = runModel([
      make.hello(100, 50, 'main'),
      make.syncCreated(100, 'mp-s', { sync_kind: 'BoundedSemaphore', value: 2, maxvalue: 2 }),
      make.syncCreated(100, 'mp-b', { sync_kind: 'Barrier', parties: 3 }),
      make.syncWait(100, 'mp-e', { sync_kind: 'Event', op: 'wait' }),
    ]);
    const byId = new Map(session.syncs.map((sync) => [sync.id, sync]));
    assert.deepEqual([byId.get('mp-s')?.value, byId.get('mp-s')?.maxvalue], [2, 2]);
    assert.equal(byId.get('mp-b')?.parties, 3);
    assert.equal(byId.get('mp-e')?.announced, false);
    assert.equal(byId.get('mp-e')?.syncKind, 'Event');
  });

  it('bounds the waits kept per object and per process, counting them all', () => {
    const items: StreamItem[] = [make.hello(100, 50, 'main'), make.syncCreated(100, 'mp-l1')];
    for (let i = 0; i < MAX_WAITS_PER_OBJECT + 5; i++) {
      items.push(make.syncWait(100, 'mp-l1', { waited: i }));
    }
    const { model, sessionId, session } = runModel(items);
    const lock = session.syncs[0];
    assert.equal(lock?.waits.length, MAX_WAITS_PER_OBJECT);
    assert.equal(lock?.waitCount, MAX_WAITS_PER_OBJECT + 5);
    assert.equal(lock?.waits[0]?.waited, 5, 'the oldest go first');
    assert.equal(model.session(sessionId)?.objects.waitsOf('100').length, MAX_WAITS_PER_PROCESS);
  });
});

describe('Model: long waits per process', () => {
  it('lists what each process waited for, across queues, pipes and locks', () => {
    const { model, sessionId, session } = runModel([...mainStream, ...producer, ...consumer]);
    const view = model.session(sessionId);
    assert.deepEqual(view?.objects.waitsOf('202').map((wait) => `${wait.object.kind}:${wait.op}`), ['queue:get', 'pipe:recv']);
    assert.deepEqual(view?.objects.waitsOf('201').map((wait) => `${wait.object.kind}:${wait.op}`), ['sync:acquire']);
    assert.deepEqual(session.waits.map((entry) => entry.key).sort(), ['201', '202']);
  });

  it('tells trackers which object and which waiting process changed', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x' });
    feed(model, id, [...mainStream, make.hello(201, 100, 'process')]);
    const tracker = model.createChangeTracker();
    feed(model, id, [make.syncWait(201, 'mp-l1')]);
    const changes = tracker.take();
    assert.deepEqual([...(changes.objects.get(id) ?? [])], [objectId('sync', 'mp-l1')]);
    assert.deepEqual([...(changes.processes.get(id) ?? [])], ['201']);
    assert.equal(changes.structure.size, 0);
  });
});

describe('Model: managers and shared state', () => {
  it('records a Manager with its server and the shared objects a program creates', () => {
    const { model, sessionId, session } = runModel([
      make.hello(100, 50, 'main'),
      make.managerCreated(100, '100-m', { address: '/tmp/pymp-x/listener-1', server_pid: 150 }),
      make.sharedCreated(100, 'mp-v', { site, typecode: 'i', size: 4, lock: true }),
      make.sharedCreated(100, 'mp-a', { shared_kind: 'RawArray', typecode: 'd', length: 10, size: 80 }),
      make.sharedCreated(100, 'psm_1', { shared_kind: 'SharedMemory', name: 'psm_1', size: 4096 }),
      make.sharedCreated(100, '/tmp/pymp-x/listener-1/7f', { shared_kind: 'manager', typeid: 'dict', manager_address: '/tmp/pymp-x/listener-1' }),
    ]);
    assert.deepEqual(session.managers.map((manager) => [manager.className, manager.serverPid, manager.connected]), [['multiprocessing.managers.SyncManager', 150, false]]);
    assert.deepEqual(session.shared.map((shared) => shared.sharedKind), ['Value', 'RawArray', 'SharedMemory', 'manager']);
    assert.equal(session.shared[1]?.length, 10);
    assert.equal(session.shared[3]?.typeid, 'dict');
    assert.equal(model.session(sessionId)?.objects.ownedCreatedBy('shared', '100').length, 4);
  });

  it('ignores (and counts) counters from processes it does not know', () => {
    const { session } = runModel([make.queueCounters(999, 'mp-q1', 1, 0), make.pipeCounters(999, 'c', 1, 0)]);
    assert.equal(session.ignoredEvents, 1, 'a queue counter without its process; the pipe end waits for its pipe');
  });
});
