// The runtime's events.schema.json through the client's validator: a valid and several invalid
// examples of every kind, and the TypeScript types kept in step with the schema.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainEvent, isValidEvent, schemaEventKinds } from '../../src/protocol/eventSchema';
import { EVENT_KINDS } from '../../src/protocol/events';
import * as make from './helpers/events';

/** Every field of every kind filled in, typed by the client's event types. */
const fullExamples = {
  'hello': make.hello(200, 100, 'process', {
    start_method: 'spawn',
    name: 'Process-1',
    executable: '/usr/bin/python3',
    argv: ['-c', 'from multiprocessing.spawn import spawn_main'],
    cwd: '/work',
    platform: 'linux',
    stacks: { via: 'signal', signal: 'SIGURG', file: '/tmp/mpscope-x/stacks-200.txt', sigquit: false },
    seq: 0,
  }),
  'process.created': make.created(100, '100-1', {
    daemon: false,
    target: 'work.compute',
    class: 'Process',
    site: { file: '/work/main.py', line: 12, function: '<module>' },
    start_method: 'forkserver',
    role: 'process',
    args: '(1, 2)',
    pool: '100-1',
    replacement: true,
  }),
  'process.started': make.started(100, '100-1', 200),
  'process.joined': make.joined(100, 200, { timeout: 1.5, alive: true }),
  'process.signalled': make.signalled(100, 200, 'terminate'),
  'process.closed': make.closed(100, 200),
  'process.exited': { ...make.exitedBy('parent', 100, 200, -9, 'SIGKILL'), exception: make.valueError },
  'runtime.error': make.runtimeError(100),
  'pool.created': make.poolCreated(100, '100-1', {
    class: 'multiprocessing.pool.Pool',
    site: { file: '/work/main.py', line: 20, function: 'main' },
    maxtasksperchild: 10,
    initializer: 'work.init',
    start_method: 'fork',
  }),
  'pool.closed': make.poolClosed(100, '100-1', { site: { file: '/work/main.py', line: 25 }, wait: true, cancel_futures: false }),
  'pool.terminated': make.poolTerminated(100, '100-1', { site: { file: '/work/main.py', line: 26 }, finalizer: true }),
  'pool.joined': make.poolJoined(100, '100-1', { site: { file: '/work/main.py', line: 27 } }),
  'task.submitted': make.submitted(100, '100-1', { job: 3, chunksize: 4, items: 100, site: { file: '/work/main.py', line: 22 } }),
  'task.finished': make.taskFinished(201, 3, { index: 2, items: 4, exception: make.valueError, ok: false, exitcode: null }),
  'task.counters': make.taskCounters(201, 10, 1),
  'stacks': make.stacks(300, {
    reporter: 'collector',
    child_pid: 201,
    request: '300-1',
    threads: [{ ...make.blockedMainThread, name: 'MainThread', frames_truncated: true }],
    threads_truncated: false,
    error: 'partial',
  }),
  'queue.created': make.queueCreated(100, 'mp-k3v9q2xz', { queue_kind: 'manager-queue', maxsize: 10, class: 'app.MyQueue', manager_address: '/tmp/pymp-1/listener-1', site: { file: '/work/main.py', line: 5 } }),
  'queue.counters': make.queueCounters(201, 'mp-k3v9q2xz', 10, 7, { task_done: 7, joins: 1, backlog: 3 }),
  'queue.blocked': make.queueBlocked(201, 'mp-k3v9q2xz', { op: 'put', outcome: 'timeout', site: { file: '/work/main.py', line: 9 } }),
  'queue.leftover': make.queueLeftover(201, 'mp-k3v9q2xz', 3, 1),
  'pipe.created': make.pipeCreated(100, '100-3', ['100-4', '100-5'], { duplex: false, site: { file: '/work/main.py', line: 6 } }),
  'pipe.counters': make.pipeCounters(201, '100-4', 2, 0),
  'pipe.blocked': make.pipeBlocked(201, '100-5', { op: 'send', site: { file: '/work/main.py', line: 11 } }),
  'sync.created': make.syncCreated(100, 'mp-lock1', { sync_kind: 'BoundedSemaphore', value: 2, maxvalue: 2, parties: 0, site: { file: '/work/main.py', line: 7 } }),
  'sync.wait': make.syncWait(201, 'mp-lock1', { holder_pid: 100, site: { file: '/work/main.py', line: 13 } }),
  'manager.created': make.managerCreated(100, '100-9', { address: '/tmp/pymp-1/listener-1', server_pid: 150, connected: false, site: { file: '/work/main.py', line: 3 } }),
  'shared.created': make.sharedCreated(100, 'mp-val1', {
    shared_kind: 'SharedMemory',
    typecode: 'i',
    size: 4,
    lock: true,
    length: 10,
    name: 'psm_1',
    typeid: 'dict',
    manager_address: '/tmp/pymp-1/listener-1',
    site: { file: '/work/main.py', line: 4 },
  }),
} as const;

/** Broken variants per kind, each with what makes it invalid. */
const invalidExamples: Record<string, Array<[string, unknown]>> = {
  'hello': [
    ['no token', omit(fullExamples.hello, 'token')],
    ['a short token', { ...fullExamples.hello, token: 'short' }],
    ['an unknown role', { ...fullExamples.hello, role: 'daemon' }],
    ['too many argv items', { ...fullExamples.hello, argv: new Array(257).fill('x') }],
    ['a non-string argv item', { ...fullExamples.hello, argv: [1] }],
  ],
  'process.created': [
    ['no proc', omit(fullExamples['process.created'], 'proc')],
    ['an unknown start method', { ...fullExamples['process.created'], start_method: 'thread' }],
    ['a site at line 0', { ...fullExamples['process.created'], site: { file: 'a.py', line: 0 } }],
    ['a site without a file', { ...fullExamples['process.created'], site: { line: 3 } }],
  ],
  'process.started': [
    ['child_pid 0', { ...fullExamples['process.started'], child_pid: 0 }],
    ['a string child_pid', { ...fullExamples['process.started'], child_pid: '200' }],
  ],
  'process.joined': [
    ['no waited', omit(fullExamples['process.joined'], 'waited')],
    ['a negative wait', { ...fullExamples['process.joined'], waited: -1 }],
    ['a string timeout', { ...fullExamples['process.joined'], timeout: '1' }],
  ],
  'process.signalled': [['an unknown method', { ...fullExamples['process.signalled'], method: 'interrupt' }]],
  'process.closed': [['no child_pid', omit(fullExamples['process.closed'], 'child_pid')]],
  'process.exited': [
    ['an unknown reporter', { ...fullExamples['process.exited'], reporter: 'os' }],
    ['a fractional exit code', { ...fullExamples['process.exited'], exitcode: 1.5 }],
    ['no exitcode at all', omit(fullExamples['process.exited'], 'exitcode')],
    ['an exception without a message', { ...fullExamples['process.exited'], exception: { type: 'ValueError' } }],
    ['a huge exception message', { ...fullExamples['process.exited'], exception: { type: 'E', message: 'x'.repeat(8193) } }],
  ],
  'runtime.error': [['no where', omit(fullExamples['runtime.error'], 'where')]],
  'pool.created': [
    ['no pool id', omit(fullExamples['pool.created'], 'pool')],
    ['an unknown api', { ...fullExamples['pool.created'], api: 'threads' }],
    ['zero processes', { ...fullExamples['pool.created'], processes: 0 }],
  ],
  'pool.closed': [['no pool id', omit(fullExamples['pool.closed'], 'pool')]],
  'pool.terminated': [['a string finalizer', { ...fullExamples['pool.terminated'], finalizer: 'yes' }]],
  'pool.joined': [['no pool id', omit(fullExamples['pool.joined'], 'pool')]],
  'task.submitted': [
    ['an unknown method', { ...fullExamples['task.submitted'], method: 'run' }],
    ['zero calls', { ...fullExamples['task.submitted'], calls: 0 }],
  ],
  'task.finished': [
    ['no duration', omit(fullExamples['task.finished'], 'duration')],
    ['a negative duration', { ...fullExamples['task.finished'], duration: -0.1 }],
    ['a string ok', { ...fullExamples['task.finished'], ok: 'false' }],
  ],
  'task.counters': [['a negative count', { ...fullExamples['task.counters'], done: -1 }]],
  'stacks': [
    ['an unknown reporter', { ...fullExamples.stacks, reporter: 'parent' }],
    ['a frame without a function', { ...fullExamples.stacks, threads: [{ ident: 1, frames: [{ file: 'a.py', line: 1 }] }] }],
    ['a thread without frames', { ...fullExamples.stacks, threads: [{ ident: 1 }] }],
  ],
  'queue.created': [
    ['an unknown queue kind', { ...fullExamples['queue.created'], queue_kind: 'Deque' }],
    ['a zero maxsize', { ...fullExamples['queue.created'], maxsize: 0 }],
  ],
  'queue.counters': [['no gets', omit(fullExamples['queue.counters'], 'gets')], ['a negative backlog', { ...fullExamples['queue.counters'], backlog: -1 }]],
  'queue.blocked': [['an unknown op', { ...fullExamples['queue.blocked'], op: 'peek' }], ['an unknown outcome', { ...fullExamples['queue.blocked'], outcome: 'lost' }]],
  'queue.leftover': [['no buffered', omit(fullExamples['queue.leftover'], 'buffered')]],
  'pipe.created': [['three ends', { ...fullExamples['pipe.created'], ends: ['a', 'b', 'c'] }]],
  'pipe.counters': [['no conn', omit(fullExamples['pipe.counters'], 'conn')]],
  'pipe.blocked': [['an unknown op', { ...fullExamples['pipe.blocked'], op: 'poll' }]],
  'sync.created': [['an unknown kind', { ...fullExamples['sync.created'], sync_kind: 'Mutex' }]],
  'sync.wait': [['holder pid 0', { ...fullExamples['sync.wait'], holder_pid: 0 }], ['no since', omit(fullExamples['sync.wait'], 'since')]],
  'manager.created': [['no class', omit(fullExamples['manager.created'], 'class')]],
  'shared.created': [['an unknown kind', { ...fullExamples['shared.created'], shared_kind: 'mmap' }]],
};

function omit(value: object, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  delete copy[key];
  return copy;
}

describe('event schema', () => {
  it('lists the same kinds as the TypeScript types, in the same order', () => {
    assert.deepEqual(schemaEventKinds(), [...EVENT_KINDS]);
    assert.deepEqual(Object.keys(fullExamples), [...EVENT_KINDS]);
  });

  for (const kind of EVENT_KINDS) {
    describe(kind, () => {
      const full = fullExamples[kind];
      it('accepts an example with every field', () => {
        assert.deepEqual(explainEvent(full).errors, []);
        assert.equal(isValidEvent(full), true);
      });

      it('accepts an example with only the required fields', () => {
        const minimal = requiredOnly(kind, full);
        assert.deepEqual(explainEvent(minimal).errors, []);
      });

      for (const [what, broken] of invalidExamples[kind] ?? []) {
        it(`rejects ${what}`, () => {
          assert.equal(isValidEvent(broken), false);
          assert.notEqual(explainEvent(broken).errors.length, 0);
        });
      }

      it('rejects a wrong protocol version, a missing pid, a negative pid and a string time', () => {
        assert.equal(isValidEvent({ ...full, v: 2 }), false);
        assert.equal(isValidEvent(omit(full, 'pid')), false);
        assert.equal(isValidEvent({ ...full, pid: -1 }), false);
        assert.equal(isValidEvent({ ...full, t: 'now' }), false);
      });
    });
  }

  it('rejects unknown kinds and values that are not objects', () => {
    assert.equal(isValidEvent({ v: 1, kind: 'process.teleported', t: 1, pid: 1 }), false);
    for (const value of [null, 42, 'hello', [], true]) {
      assert.equal(isValidEvent(value), false);
    }
  });

  it('explains an invalid event by the fields of its kind', () => {
    const errors = explainEvent({ ...fullExamples['process.exited'], exitcode: 'nine' }).errors;
    assert.ok(errors.some((error) => error.startsWith('/exitcode')), errors.join('; '));
  });
});

/** The example reduced to the envelope and the fields the kind's schema requires. */
function requiredOnly(kind: string, full: object): Record<string, unknown> {
  const required: Record<string, readonly string[]> = {
    'hello': ['token', 'ppid', 'role', 'python', 'runtime'],
    'process.created': ['proc', 'name', 'start_method', 'role'],
    'process.started': ['proc', 'child_pid'],
    'process.joined': ['child_pid', 'waited'],
    'process.signalled': ['child_pid', 'method', 'signal'],
    'process.closed': ['child_pid'],
    'process.exited': ['reporter', 'exitcode'],
    'runtime.error': ['where', 'message'],
    'pool.created': ['pool', 'api', 'processes'],
    'pool.closed': ['pool'],
    'pool.terminated': ['pool'],
    'pool.joined': ['pool'],
    'task.submitted': ['pool', 'method', 'calls'],
    'task.finished': ['job', 'started', 'duration', 'ok'],
    'task.counters': ['done', 'failed', 'time', 'max'],
    'stacks': ['reporter', 'threads'],
    'queue.created': ['queue', 'queue_kind'],
    'queue.counters': ['queue', 'puts', 'gets'],
    'queue.blocked': ['queue', 'op', 'since', 'waited'],
    'queue.leftover': ['queue', 'backlog', 'buffered'],
    'pipe.created': ['pipe', 'duplex', 'ends'],
    'pipe.counters': ['conn', 'sends', 'recvs'],
    'pipe.blocked': ['conn', 'op', 'since', 'waited'],
    'sync.created': ['sync', 'sync_kind'],
    'sync.wait': ['sync', 'sync_kind', 'op', 'since', 'waited'],
    'manager.created': ['manager', 'class'],
    'shared.created': ['shared', 'shared_kind'],
  };
  const source = full as Record<string, unknown>;
  const minimal: Record<string, unknown> = { v: 1, kind, t: source.t, pid: source.pid };
  for (const key of required[kind] ?? []) {
    minimal[key] = source[key];
  }
  return minimal;
}
