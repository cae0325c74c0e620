// The pure model: events and stream closings in, sessions and processes out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import { signalTableFrom } from '../../src/model/signals';
import type { ProcessSnapshot, SessionSnapshot } from '../../src/model/types';
import { isValidEvent } from '../../src/protocol/eventSchema';
import type { MpscopeEvent } from '../../src/protocol/events';
import * as make from './helpers/events';
import { countInterleavings, interleavings } from './helpers/interleave';

/** One item a stream delivers: an event, or the end of the stream of `pid`. */
type StreamItem = MpscopeEvent | { readonly close: number; readonly t?: number };

function apply(model: Model, sessionId: string, items: readonly StreamItem[]): void {
  for (const item of items) {
    if ('close' in item) {
      model.streamClosed(sessionId, item.close, item.t ?? 2000);
    } else {
      assert.ok(isValidEvent(item), `test event does not match the schema: ${JSON.stringify(item)}`);
      assert.equal(model.ingest(sessionId, item), true);
    }
  }
}

function run(items: readonly StreamItem[], model = new Model({ clock: () => 999 })): { model: Model; session: SessionSnapshot } {
  const sessionId = model.openSession({ label: 'test.py' });
  apply(model, sessionId, items);
  const session = model.snapshot().find((s) => s.id === sessionId);
  assert.ok(session);
  return { model, session };
}

function processOf(session: SessionSnapshot, key: string): ProcessSnapshot {
  const found = session.processes.find((p) => p.key === key);
  assert.ok(found, `no process ${key} in ${session.processes.map((p) => p.key).join(', ')}`);
  return found;
}

/** The tree as nested text: `name(pid) state` lines, indented by depth. */
function treeText(model: Model, sessionId: string): string {
  const session = model.session(sessionId);
  assert.ok(session);
  const lines: string[] = [];
  const visit = (key: string | null, depth: number): void => {
    for (const child of session.children(key)) {
      const outcome = child.exit ? ` ${child.exit.signal ?? child.exit.exitcode}` : '';
      lines.push(`${'  '.repeat(depth)}${child.name}(${child.pid}) ${child.state}${outcome}`);
      visit(child.key, depth + 1);
    }
  };
  visit(null, 0);
  return lines.join('\n');
}

/** The processes, sorted: only the order of first appearance may depend on arrival order. */
function orderFree(session: SessionSnapshot): unknown {
  return [...session.processes].sort((a, b) => a.key.localeCompare(b.key));
}

// A typical run: main (100) starts a child (101) that raises; a second child (102) is killed.
const mainStream: StreamItem[] = [
  make.hello(100, 50, 'main', { name: 'MainProcess' }),
  make.created(100, '100-1', { name: 'cruncher', target: 'work.crunch', site: { file: '/w/main.py', line: 12 } }),
  make.started(100, '100-1', 101),
  make.created(100, '100-2', { name: 'sleeper', start_method: 'spawn' }),
  make.started(100, '100-2', 102),
  make.signalled(100, 102, 'kill'),
  make.exitedBy('parent', 100, 102, -9, 'SIGKILL'),
  make.exitedBy('parent', 100, 101, 1),
  make.exitedSelf(100, 0),
  { close: 100 },
];
const crashingChild: StreamItem[] = [
  make.hello(101, 100, 'process', { name: 'cruncher', start_method: 'fork' }),
  make.exitedSelf(101, 1, make.valueError),
  { close: 101 },
];
const killedChild: StreamItem[] = [make.hello(102, 100, 'process', { start_method: 'spawn' }), { close: 102 }];

describe('Model: processes of a run', () => {
  it('nests children under the process that started them, with names, states and exits', () => {
    const { model, session } = run([...mainStream.slice(0, -1), ...crashingChild, ...killedChild, { close: 100 }]);
    assert.equal(
      treeText(model, session.id),
      ['MainProcess(100) exited 0', '  cruncher(101) failed 1', '  sleeper(102) killed SIGKILL'].join('\n'),
    );
    const cruncher = processOf(session, '101');
    assert.equal(cruncher.parentKey, '100');
    assert.equal(cruncher.logicalParentPid, 100);
    assert.equal(cruncher.target, 'work.crunch');
    assert.deepEqual(cruncher.site, { file: '/w/main.py', line: 12 });
    assert.equal(cruncher.startMethod, 'fork');
    assert.equal(cruncher.role, 'process');
    assert.deepEqual(cruncher.exit?.exception, make.valueError);
    assert.deepEqual(cruncher.exit?.reporters, ['self', 'parent']);
    const sleeper = processOf(session, '102');
    assert.equal(sleeper.state, 'killed');
    assert.equal(sleeper.exit?.exitcode, -9);
    assert.deepEqual(sleeper.signalled, { method: 'kill', signal: 'SIGKILL', byPid: 100, t: 1006 });
    assert.equal(sleeper.startMethod, 'spawn');
  });

  it('reaches the same state whatever order the streams are read in', () => {
    const streams = [mainStream, crashingChild, killedChild];
    const total = countInterleavings(streams.map((s) => s.length));
    assert.ok(total > 1000, `expected a meaningful number of orders, got ${total}`);
    let reference: unknown;
    let checked = 0;
    for (const order of interleavings(streams)) {
      const { session } = run(order);
      const state = orderFree(session);
      reference ??= state;
      assert.deepEqual(state, reference, `order ${checked} differs`);
      checked++;
    }
    assert.equal(checked, total);
  });

  it('shows a child as starting until it says hello, then running', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x' });
    apply(model, id, mainStream.slice(0, 3));
    assert.equal(model.session(id)?.process('101')?.state, 'starting');
    apply(model, id, [make.hello(101, 100, 'process')]);
    assert.equal(model.session(id)?.process('101')?.state, 'running');
    assert.equal(model.session(id)?.process('101')?.connected, true);
  });

  it('names processes by their creator, else their hello, else their role, else their pid', () => {
    const { session } = run([
      make.hello(100, 1, 'main'),
      make.hello(101, 100, 'resource-tracker'),
      make.hello(102, 100, 'pool-worker', { name: 'ForkPoolWorker-1' }),
      make.hello(103, 100, 'pool-worker'),
      make.created(100, '100-1', { name: 'by-creator' }),
      make.hello(104, 100, 'process', { name: 'by-hello' }),
      make.started(100, '100-1', 104),
    ]);
    assert.deepEqual(session.processes.map((p) => p.name), ['MainProcess', 'resource tracker', 'ForkPoolWorker-1', 'pid 103', 'by-creator']);
  });

  it('records joins (with timeouts) and Process.close()', () => {
    const { session } = run([
      ...mainStream.slice(0, 3),
      make.joined(100, 101, { timeout: 0.5, waited: 0.5, alive: true }),
      make.closed(100, 101),
    ]);
    const child = processOf(session, '101');
    assert.deepEqual(child.joined, { byPid: 100, waited: 0.5, timeout: 0.5, alive: true, t: 1005 });
    assert.equal(child.closed, true);
  });
});

describe('Model: exit records', () => {
  const base: StreamItem[] = [make.hello(100, 1, 'main'), make.created(100, '100-1'), make.started(100, '100-1', 101), make.hello(101, 100, 'process')];

  it('keeps the exception from the process and the code from its parent, in either order', () => {
    for (const order of [
      [make.exitedSelf(101, 1, make.valueError), make.exitedBy('parent', 100, 101, 1)],
      [make.exitedBy('parent', 100, 101, 1), make.exitedSelf(101, 1, make.valueError)],
    ]) {
      const child = processOf(run([...base, ...order]).session, '101');
      assert.equal(child.state, 'failed');
      assert.equal(child.exit?.exitcode, 1);
      assert.equal(child.exit?.exception?.type, 'ValueError');
      assert.equal(child.exit?.exception?.traceback, make.valueError.traceback);
    }
  });

  it('trusts the parent over the process itself for the exit status', () => {
    const child = processOf(run([...base, make.exitedSelf(101, 0), make.exitedBy('parent', 100, 101, -15)]).session, '101');
    assert.equal(child.state, 'killed');
    assert.equal(child.exit?.exitcode, -15);
    assert.equal(child.exit?.signal, 'SIGTERM');
  });

  it('marks a process lost when its stream closes without any record', () => {
    const child = processOf(run([...base, { close: 101, t: 1500 }]).session, '101');
    assert.equal(child.state, 'lost');
    assert.equal(child.connected, false);
    assert.deepEqual(child.exit, { exitcode: null, signal: null, exception: null, reporters: ['collector'], t: 1500 });
    assert.equal(child.endedAt, 1500);
  });

  it('replaces "lost" by a parent record that arrives later', () => {
    const child = processOf(run([...base, { close: 101, t: 1500 }, make.exitedBy('parent', 100, 101, -9, null, 1499)]).session, '101');
    assert.equal(child.state, 'killed');
    assert.equal(child.exit?.signal, 'SIGKILL');
    assert.deepEqual(child.exit?.reporters, ['parent']);
    assert.equal(child.endedAt, 1499);
  });

  it('does not call a process lost when it reported its own exit before its stream closed', () => {
    const child = processOf(run([...base, make.exitedSelf(101, 0), { close: 101 }]).session, '101');
    assert.equal(child.state, 'exited');
    assert.deepEqual(child.exit?.reporters, ['self']);
  });

  it('accepts a "lost" record written by a collector (saved runs), naming the process either way', () => {
    const named = processOf(run([...base, make.exitedBy('collector', 100, 101, null)]).session, '101');
    assert.equal(named.state, 'lost');
    const self = processOf(run([...base, { v: 1, kind: 'process.exited', t: 5, pid: 101, reporter: 'collector', exitcode: null }]).session, '101');
    assert.equal(self.state, 'lost');
  });

  it('derives signal names from negative exit codes, and only from those', () => {
    const cases: Array<[number, string | null, string]> = [
      [-9, 'SIGKILL', 'killed'],
      [-15, 'SIGTERM', 'killed'],
      [-11, 'SIGSEGV', 'killed'],
      [-2, 'SIGINT', 'killed'],
      [-99, null, 'killed'],
      [0, null, 'exited'],
      [1, null, 'failed'],
      [137, null, 'failed'],
    ];
    for (const [code, signal, state] of cases) {
      const child = processOf(run([...base, make.exitedBy('parent', 100, 101, code)]).session, '101');
      assert.equal(child.exit?.signal, signal, `exit code ${code}`);
      assert.equal(child.state, state, `exit code ${code}`);
    }
  });

  it('uses the host signal table for codes outside the portable set', () => {
    const model = new Model({ signals: signalTableFrom({ SIGUSR1: 10, SIGIOT: 6, SIGABRT: 6 }) });
    const child = processOf(run([...base, make.exitedBy('parent', 100, 101, -10)], model).session, '101');
    assert.equal(child.exit?.signal, 'SIGUSR1');
    const aborted = processOf(run([...base, make.exitedBy('parent', 100, 101, -6)], model).session, '101');
    assert.equal(aborted.exit?.signal, 'SIGABRT'); // not the alias SIGIOT
  });

  it('prefers a signal name the parent reported', () => {
    const child = processOf(run([...base, make.exitedBy('parent', 100, 101, -9, 'SIGKILL')]).session, '101');
    assert.equal(child.exit?.signal, 'SIGKILL');
  });

  it('ignores a parent record that does not say whose exit it is', () => {
    const { session } = run([...base, { v: 1, kind: 'process.exited', t: 5, pid: 100, reporter: 'parent', exitcode: 0 }]);
    assert.equal(processOf(session, '101').exit, null);
    assert.equal(processOf(session, '100').exit, null);
    assert.equal(session.ignoredEvents, 1);
  });
});

describe('Model: launcher, forkserver and unknown parents', () => {
  it('hides the launcher and makes its child a root; the launcher closing ends the session', () => {
    const { model, session } = run([
      make.hello(10, 5, 'launcher'),
      make.hello(11, 10, 'main', { name: 'MainProcess' }),
      make.exitedSelf(11, 0),
      { close: 11 },
      make.exitedBy('launcher', 10, 11, 3),
      { close: 10, t: 3000 },
    ]);
    assert.equal(session.launcherPid, 10);
    assert.deepEqual(session.processes.map((p) => p.pid), [11]);
    const main = processOf(session, '11');
    assert.equal(main.parentKey, null);
    assert.equal(main.state, 'failed');
    assert.equal(main.exit?.exitcode, 3);
    assert.deepEqual(main.exit?.reporters, ['self', 'launcher']);
    assert.equal(session.endedAt, 3000);
    assert.equal(treeText(model, session.id), 'MainProcess(11) failed 3');
  });

  it('keeps the main process a root when its hello arrives before the launcher\'s', () => {
    const { model, session } = run([make.hello(11, 10, 'main'), make.hello(10, 5, 'launcher'), make.hello(12, 11, 'process')]);
    assert.equal(processOf(session, '11').parentKey, null);
    assert.equal(processOf(session, '12').parentKey, '11');
    assert.equal(model.session(session.id)?.children(null).length, 1);
  });

  it('treats the launcher\'s own process.started of the main process as a root', () => {
    const { session } = run([
      make.hello(10, 5, 'launcher'),
      make.created(10, '10-1', { name: 'main', role: 'main' }),
      make.started(10, '10-1', 11),
      make.hello(11, 10, 'main'),
    ]);
    assert.deepEqual(session.processes.map((p) => [p.pid, p.parentKey, p.name]), [[11, null, 'main']]);
  });

  it('shows a launcher runtime error on the session, not as a process', () => {
    const { session } = run([make.hello(10, 5, 'launcher'), make.runtimeError(10, 'launcher', 'socket gone')]);
    assert.equal(session.processes.length, 0);
    assert.deepEqual(session.runtimeErrors, [{ where: 'launcher', message: 'socket gone', t: 1008 }]);
  });

  it('puts a forkserver child under the process that started it, not under the forkserver', () => {
    const streams: StreamItem[][] = [
      [make.hello(100, 1, 'main'), make.created(100, '100-1', { start_method: 'forkserver' }), make.started(100, '100-1', 300)],
      [make.hello(200, 100, 'forkserver')],
      [make.hello(300, 200, 'process', { start_method: 'forkserver' })],
    ];
    for (const order of interleavings(streams)) {
      const { session } = run(order);
      const child = processOf(session, '300');
      assert.equal(child.parentKey, '100');
      assert.equal(child.logicalParentPid, 100);
      assert.equal(child.osParentPid, 200);
      assert.equal(processOf(session, '200').parentKey, '100');
    }
  });

  it('moves a process under its OS parent once that parent says hello', () => {
    const { session } = run([make.hello(101, 100, 'resource-tracker'), make.hello(100, 1, 'main')]);
    assert.equal(processOf(session, '101').parentKey, '100');
    assert.equal(processOf(session, '100').parentKey, null);
  });

  it('keeps a process with an unknown parent as a root', () => {
    const { session } = run([make.hello(101, 77, 'process')]);
    assert.equal(processOf(session, '101').parentKey, null);
  });

  it('creates a child it first hears of from its parent (join, signal or exit)', () => {
    const { session } = run([make.hello(100, 1, 'main'), make.exitedBy('parent', 100, 105, -9)]);
    const child = processOf(session, '105');
    assert.equal(child.parentKey, '100');
    assert.equal(child.state, 'killed');
  });

  it('refuses a parent link that would make a cycle', () => {
    const { model, session } = run([make.hello(100, 101, 'process'), make.hello(101, 100, 'process')]);
    const roots = model.session(session.id)?.children(null) ?? [];
    assert.equal(roots.length, 1);
    assert.equal(treeText(model, session.id).split('\n').length, 2);
    assert.equal(session.ignoredEvents, 1);
  });
});

describe('Model: pid reuse', () => {
  it('starts a new record when a pid says hello again after its process ended', () => {
    const { model, session } = run([
      make.hello(100, 1, 'main'),
      make.hello(200, 100, 'pool-worker'),
      make.exitedSelf(200, 0),
      { close: 200 },
      make.hello(200, 100, 'pool-worker', { t: 1010 }),
    ]);
    assert.deepEqual(session.processes.map((p) => p.key), ['100', '200', '200#2']);
    assert.equal(processOf(session, '200').state, 'exited');
    assert.equal(processOf(session, '200#2').state, 'running');
    assert.equal(processOf(session, '200#2').parentKey, '100');
    assert.equal(model.session(session.id)?.processByPid(200)?.key, '200#2');
  });

  it('starts a new record when the same pid says hello with another parent', () => {
    const { session } = run([make.hello(100, 1, 'main'), make.hello(300, 100, 'process'), make.hello(300, 77, 'process')]);
    assert.deepEqual(session.processes.map((p) => [p.key, p.osParentPid]), [['100', 1], ['300', 100], ['300#2', 77]]);
  });

  it('keeps one record for a process that connects again after its stream dropped', () => {
    const { session } = run([make.hello(100, 1, 'main'), make.hello(300, 100, 'process'), { close: 300 }]);
    assert.equal(processOf(session, '300').state, 'lost');
    const again = run([make.hello(100, 1, 'main'), make.hello(300, 100, 'process'), { close: 300 }, make.hello(300, 100, 'process')]).session;
    assert.deepEqual(again.processes.map((p) => [p.key, p.state, p.exit]), [['100', 'running', null], ['300', 'running', null]]);
  });

  it('starts a new record when another Process object gets a pid already linked to one', () => {
    const { session } = run([
      make.hello(100, 1, 'main'),
      make.created(100, '100-1', { name: 'first' }),
      make.started(100, '100-1', 200),
      make.exitedBy('parent', 100, 200, 0),
      make.created(100, '100-2', { name: 'second' }),
      make.started(100, '100-2', 200),
    ]);
    assert.deepEqual(session.processes.map((p) => [p.key, p.name, p.state]), [
      ['100', 'MainProcess', 'running'],
      ['200', 'first', 'exited'],
      ['200#2', 'second', 'starting'],
    ]);
  });
});

describe('Model: sessions, snapshots and change tracking', () => {
  it('gives sessions unique ids and keeps them oldest first', () => {
    const model = new Model({ clock: () => 7 });
    const a = model.openSession({ label: 'a.py' });
    const b = model.openSession({ label: 'b.py', kind: 'debug', startedAt: 3 });
    model.removeSession(a);
    const c = model.openSession({ label: 'c.py' });
    assert.deepEqual(model.snapshot().map((s) => [s.id, s.label, s.kind, s.startedAt]), [
      [b, 'b.py', 'debug', 3],
      [c, 'c.py', 'run', 7],
    ]);
    assert.notEqual(a, c);
    assert.equal(model.ingest(a, make.hello(1, 0, 'main')), false);
  });

  it('returns snapshots that are plain JSON copies without the session token', () => {
    const { model, session } = run([...mainStream, ...crashingChild]);
    assert.deepEqual(JSON.parse(JSON.stringify(session)), session);
    assert.equal(JSON.stringify(session).includes(make.TOKEN), false);
    const copy = model.snapshot()[0];
    (copy.processes[0] as { name: string }).name = 'changed';
    (copy.processes[1].exit?.exception as { message: string }).message = 'changed';
    assert.notEqual(model.snapshot()[0].processes[0].name, 'changed');
    assert.notEqual(model.snapshot()[0].processes[1].exit?.exception?.message, 'changed');
  });

  it('ends a session once, and counts the events it applied', () => {
    const model = new Model();
    const id = model.openSession({ label: 'x' });
    apply(model, id, [make.hello(1, 0, 'main')]);
    model.endSession(id, 50);
    model.endSession(id, 60);
    assert.equal(model.snapshot()[0].endedAt, 50);
    assert.equal(model.snapshot()[0].events, 1);
  });

  it('tells each tracker what changed since it last looked', () => {
    const model = new Model();
    const tree = model.createChangeTracker();
    const other = model.createChangeTracker();
    let notifications = 0;
    const unsubscribe = model.onDidChange(() => notifications++);

    const id = model.openSession({ label: 'x' });
    let changes = tree.take();
    assert.equal(changes.sessionList, true);
    assert.equal(tree.pending, false);

    apply(model, id, [make.hello(100, 1, 'main'), make.created(100, '100-1'), make.started(100, '100-1', 101)]);
    changes = tree.take();
    assert.equal(changes.sessionList, false);
    assert.deepEqual([...changes.structure], [id]);
    assert.deepEqual([...(changes.processes.get(id) ?? [])].sort(), ['100', '101']);

    apply(model, id, [make.exitedBy('parent', 100, 101, 0)]);
    changes = tree.take();
    assert.equal(changes.structure.size, 0, 'an exit does not change the tree shape');
    assert.deepEqual([...(changes.processes.get(id) ?? [])], ['101']);

    model.endSession(id);
    assert.deepEqual([...tree.take().sessions], [id]);

    assert.equal(other.pending, true, 'the other tracker still holds everything');
    assert.equal(other.take().sessionList, true);
    other.dispose();
    apply(model, id, [make.exitedSelf(100, 0)]);
    assert.equal(other.pending, false, 'a disposed tracker records nothing');

    assert.equal(notifications, 7);
    unsubscribe();
    apply(model, id, [make.runtimeError(100)]);
    assert.equal(notifications, 7);
  });

  it('keeps at most 20 runtime errors per process', () => {
    const items: StreamItem[] = [make.hello(100, 1, 'main')];
    for (let i = 0; i < 30; i++) {
      items.push(make.runtimeError(100, `hook${i}`));
    }
    assert.equal(processOf(run(items).session, '100').runtimeErrors.length, 20);
  });
});
