// Kill Survivors signals only processes that are still the ones the session saw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { OsProcess } from '../../src/model/osSnapshot';
import { describeSurvivor, planSurvivorKill } from '../../src/os/survivors';
import * as make from './helpers/events';

const ps = (pid: number, ppid: number, command: string, stat = 'S'): OsProcess => ({ pid, ppid, stat, command });

/** A session that ended with three survivors: a Python orphan (102), `sleep` (200) and `tar` (201). */
function ended(): Model {
  const model = new Model({ clock: () => 1.5 });
  const id = model.openSession({ label: 's.py' });
  for (const event of [
    make.hello(50, 1, 'launcher'),
    make.hello(100, 50, 'main'),
    make.created(100, '100-1', { name: 'child' }),
    make.started(100, '100-1', 102),
    make.hello(102, 100, 'process'),
  ]) {
    model.ingest(id, event);
  }
  model.observeOs(id, { t: 1, processes: [ps(50, 1, 'python3'), ps(100, 50, 'python3'), { ...ps(102, 100, 'python3'), startedAt: 1 }, ps(200, 100, 'sleep'), ps(201, 102, 'tar')] });
  model.ingest(id, make.exitedBy('launcher', 50, 100, 0));
  model.endSession(id);
  model.observeOs(id, { t: 2, processes: [ps(102, 1, 'python3'), ps(200, 1, 'sleep'), ps(201, 102, 'tar')] });
  return model;
}

describe('planSurvivorKill', () => {
  it('kills what is still listed with the same command, skips the ended and the reused', () => {
    const model = ended();
    const survivors = model.sessions()[0].survivors();
    assert.deepEqual(survivors.map((p) => p.pid), [102, 200, 201]);
    const plan = planSurvivorKill(survivors, [ps(102, 1, 'python3'), ps(200, 1, 'sleep', 'Z'), ps(201, 77, 'vim')]);
    assert.deepEqual(plan.kill.map((p) => p.pid), [102]);
    assert.deepEqual(plan.ended.map((p) => p.pid), [200]);
    assert.deepEqual(plan.reused.map((p) => p.pid), [201]);
    assert.deepEqual(planSurvivorKill(survivors, []).ended.map((p) => p.pid), [102, 200, 201]);
    // Same pid and name, but it started after the one the session saw: another program's.
    const later = planSurvivorKill(survivors.filter((p) => p.pid === 102), [{ ...ps(102, 1, 'python3'), startedAt: 1000 }]);
    assert.deepEqual(later.reused.map((p) => p.pid), [102]);
  });

  it('describes each survivor in a line', () => {
    const survivors = ended().sessions()[0].survivors();
    assert.deepEqual(survivors.map(describeSurvivor), ['102 python3 (child, orphan)', '200 sleep (orphan, not Python)', '201 tar (not Python)']);
  });
});
