// Which tree elements refresh after model changes, and how often.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelChanges } from '../../src/model/changes';
import { Model } from '../../src/model/model';
import { planRefresh, Throttle, Timers } from '../../src/views/refreshPlan';
import * as make from './helpers/events';

function changes(partial: Partial<ModelChanges>): ModelChanges {
  return { sessionList: false, sessions: new Set(), structure: new Set(), processes: new Map(), objects: new Map(), ...partial };
}

describe('planRefresh', () => {
  it('refreshes everything when sessions were added or removed', () => {
    assert.deepEqual(planRefresh(changes({ sessionList: true, structure: new Set(['s1']) })), { kind: 'all' });
  });

  it('refreshes single processes when only their fields changed', () => {
    const plan = planRefresh(changes({ processes: new Map([['s1', new Set(['100', '101'])]]) }));
    assert.deepEqual(plan, {
      kind: 'some',
      sessions: [],
      processes: [{ sessionId: 's1', key: '100' }, { sessionId: 's1', key: '101' }],
      objects: [],
    });
  });

  it('refreshes single pools (and other things) when only their fields changed', () => {
    const plan = planRefresh(changes({ objects: new Map([['s1', new Set(['pool:100-1'])]]), processes: new Map([['s1', new Set(['201'])]]) }));
    assert.deepEqual(plan, {
      kind: 'some',
      sessions: [],
      processes: [{ sessionId: 's1', key: '201' }],
      objects: [{ sessionId: 's1', id: 'pool:100-1' }],
    });
  });

  it('refreshes the session when processes and other things together are too many', () => {
    const plan = planRefresh(changes({
      processes: new Map([['s1', new Set(['1', '2', '3'])]]),
      objects: new Map([['s1', new Set(['pool:a', 'pool:b'])], ['s2', new Set(['pool:c'])]]),
    }), 4);
    assert.deepEqual(plan, { kind: 'some', sessions: ['s1'], processes: [], objects: [{ sessionId: 's2', id: 'pool:c' }] });
  });

  it('refreshes a whole session when its shape changed, without repeating its processes', () => {
    const plan = planRefresh(changes({
      structure: new Set(['s1']),
      processes: new Map([['s1', new Set(['100'])], ['s2', new Set(['7'])]]),
    }));
    assert.deepEqual(plan, { kind: 'some', sessions: ['s1'], processes: [{ sessionId: 's2', key: '7' }], objects: [] });
  });

  it('refreshes the session instead of many single processes', () => {
    const keys = new Set(Array.from({ length: 5 }, (_, i) => String(i)));
    assert.deepEqual(planRefresh(changes({ processes: new Map([['s1', keys]]) }), 4), { kind: 'some', sessions: ['s1'], processes: [], objects: [] });
  });

  it('does nothing when nothing changed', () => {
    assert.deepEqual(planRefresh(changes({})), { kind: 'none' });
  });

  it('turns real model changes into a plan', () => {
    const model = new Model();
    const tracker = model.createChangeTracker();
    const id = model.openSession({ label: 'x' });
    model.ingest(id, make.hello(100, 1, 'main'));
    assert.deepEqual(planRefresh(tracker.take()), { kind: 'all' });
    model.ingest(id, make.exitedSelf(100, 0));
    assert.deepEqual(planRefresh(tracker.take()), { kind: 'some', sessions: [], processes: [{ sessionId: id, key: '100' }], objects: [] });
  });
});

/** Timers driven by the test: time only moves when the test says so. */
class ManualTimers implements Timers {
  time = 0;
  private pending: Array<{ at: number; callback: () => void; handle: number }> = [];
  private nextHandle = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.pending.push({ at: this.time + ms, callback, handle });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.handle !== handle);
  }

  advance(ms: number): void {
    this.time += ms;
    for (;;) {
      const due = this.pending.filter((timer) => timer.at <= this.time).sort((a, b) => a.at - b.at)[0];
      if (!due) {
        return;
      }
      this.pending = this.pending.filter((timer) => timer !== due);
      due.callback();
    }
  }

  get scheduled(): number {
    return this.pending.length;
  }
}

describe('Throttle', () => {
  it('flushes the first request at once and coalesces a burst into one flush per interval', () => {
    const timers = new ManualTimers();
    let flushes = 0;
    const throttle = new Throttle(() => flushes++, 100, timers);
    throttle.request();
    timers.advance(0);
    assert.equal(flushes, 1);
    for (let i = 0; i < 50; i++) {
      throttle.request();
      throttle.request();
      timers.advance(1); // 100 requests within 50 ms
    }
    assert.equal(flushes, 1, 'no second flush before the interval has passed');
    timers.advance(50);
    assert.equal(flushes, 2);
    timers.advance(1000);
    assert.equal(flushes, 2, 'nothing more without new requests');
  });

  it('cancels a scheduled flush on dispose', () => {
    const timers = new ManualTimers();
    let flushes = 0;
    const throttle = new Throttle(() => flushes++, 100, timers);
    throttle.request();
    throttle.dispose();
    assert.equal(timers.scheduled, 0);
    timers.advance(1000);
    assert.equal(flushes, 0);
  });
});
