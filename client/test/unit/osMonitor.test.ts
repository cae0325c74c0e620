// The OS poller: which sessions it serves, when it polls, and that its snapshots reach the model.
// Timers are driven by hand, so nothing here depends on real time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { OsProcess } from '../../src/model/osSnapshot';
import { MonitorTimers, OsMonitor } from '../../src/os/osMonitor';
import * as make from './helpers/events';

class ManualTimers implements MonitorTimers {
  pending: { callback: () => void; ms: number } | undefined;
  readonly delays: number[] = [];

  setTimeout(callback: () => void, ms: number): unknown {
    assert.equal(this.pending, undefined, 'two polls scheduled at once');
    this.pending = { callback, ms };
    this.delays.push(ms);
    return this.pending;
  }

  /** Delay of the scheduled poll (undefined: none scheduled). */
  next(): number | undefined {
    return this.pending?.ms;
  }

  clearTimeout(handle: unknown): void {
    if (handle === this.pending) {
      this.pending = undefined;
    }
  }

  /** Fires the scheduled poll and lets it finish. */
  async fire(): Promise<void> {
    const pending = this.pending;
    assert.ok(pending, 'no poll scheduled');
    this.pending = undefined;
    pending.callback();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function setup(lists: OsProcess[][]): { model: Model; timers: ManualTimers; monitor: OsMonitor; calls: () => number; logs: string[] } {
  const model = new Model({ clock: () => 5 });
  const timers = new ManualTimers();
  let calls = 0;
  const logs: string[] = [];
  const monitor = new OsMonitor({
    model,
    timers,
    clock: () => 100 + calls,
    list: async () => {
      const list = lists[Math.min(calls, lists.length - 1)];
      calls++;
      if (!list) {
        throw new Error('ps: not found');
      }
      return list;
    },
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  return { model, timers, monitor, calls: () => calls, logs };
}

const launcher = (pid = 50): OsProcess => ({ pid, ppid: 1, stat: 'S', command: 'python3' });
const main = { pid: 100, ppid: 50, stat: 'S', command: 'python3' };
const sleeper = { pid: 200, ppid: 100, stat: 'S', command: 'sleep' };

describe('OsMonitor', () => {
  it('polls about once a second while a session runs, and not before one exists', async () => {
    const { model, timers, calls, monitor } = setup([[launcher(), main, sleeper]]);
    assert.equal(timers.next(), undefined);
    const id = model.openSession({ label: 'a.py' });
    model.ingest(id, make.hello(50, 1, 'launcher'));
    model.ingest(id, make.hello(100, 50, 'main'));
    assert.equal(timers.next(), 1000);
    await timers.fire();
    assert.equal(calls(), 1);
    assert.equal(model.session(id)?.process('200')?.name, 'sleep');
    assert.equal(timers.next(), 1000, 'the next poll is scheduled');
    monitor.dispose();
    assert.equal(timers.next(), undefined);
  });

  it('looks once more right after a session ends, then keeps polling slowly only while processes survive it', async () => {
    const { model, timers, calls } = setup([
      [launcher(), main, sleeper],
      [{ ...sleeper, ppid: 1 }],
      [{ ...sleeper, ppid: 1 }],
      [],
    ]);
    const id = model.openSession({ label: 'a.py' });
    model.ingest(id, make.hello(50, 1, 'launcher'));
    model.ingest(id, make.hello(100, 50, 'main'));
    await timers.fire();
    model.ingest(id, make.exitedBy('launcher', 50, 100, 0));
    model.endSession(id);
    // The look after the end comes at once, not at the next regular poll.
    await timers.fire();
    assert.equal(calls(), 2);
    assert.deepEqual(model.session(id)?.survivors().map((p) => p.pid), [200]);
    assert.equal(timers.next(), 5000);
    await timers.fire();
    assert.equal(timers.next(), 5000);
    await timers.fire();
    assert.deepEqual(model.session(id)?.survivors(), []);
    assert.equal(model.session(id)?.process('200')?.state, 'lost');
    assert.equal(timers.next(), undefined, 'nothing left to watch');
    assert.equal(calls(), 4);
  });

  it('gives a session that just ended its look at once, and ignores replayed sessions', async () => {
    const { model, timers, calls } = setup([[launcher(), main]]);
    model.openSession({ label: 'saved.jsonl', kind: 'replay' });
    assert.equal(timers.next(), undefined);
    const id = model.openSession({ label: 'quick.py', kind: 'debug', startedAt: 1 });
    assert.equal(timers.next(), 1000);
    model.endSession(id);
    assert.equal(timers.next(), 0, 'the look after the end does not wait for the next regular poll');
    await timers.fire();
    assert.equal(calls(), 1);
    assert.equal(timers.next(), undefined);
  });

  it('serves every session from one listing, and pollNow() takes a fresh one at once', async () => {
    const { model, timers, calls, monitor } = setup([[launcher(50), main, launcher(60), { pid: 300, ppid: 60, stat: 'S', command: 'cat' }]]);
    const a = model.openSession({ label: 'a.py' });
    const b = model.openSession({ label: 'b.py' });
    model.ingest(a, make.hello(50, 1, 'launcher'));
    model.ingest(b, make.hello(60, 1, 'launcher'));
    await monitor.pollNow();
    assert.equal(calls(), 1);
    assert.deepEqual([...model.session(a)?.allProcesses() ?? []].map((p) => p.pid), [100]);
    assert.deepEqual([...model.session(b)?.allProcesses() ?? []].map((p) => p.pid), [300]);
    assert.equal(timers.next(), 1000);
  });

  it('logs a failing listing once and backs off', async () => {
    const { model, timers, logs } = setup([]);
    model.openSession({ label: 'a.py' });
    await timers.fire();
    await timers.fire();
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^warn: cannot list the OS processes \(ps: not found\)/);
    assert.deepEqual(timers.delays, [1000, 2000, 4000]);
  });
});
