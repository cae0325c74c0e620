// Which failures of a session become runtime error diagnostics, read from the model and from
// what the session received.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import { isEvent } from '../../src/model/recording';
import { processFailures, taskFailure } from '../../src/runtimeErrors/sessionFailures';
import * as make from './helpers/events';

describe('session failures', () => {
  it('takes every process whose run() raised, with its target, name, pid and working directory', () => {
    const model = new Model();
    const id = model.openSession({ label: 'crash.py' });
    for (const event of [
      make.hello(100, 50, 'main', { cwd: '/w' }),
      make.created(100, '100-1', { name: 'cruncher', target: '__main__.work' }),
      make.started(100, '100-1', 101),
      make.hello(101, 100, 'process', { cwd: '/w' }),
      make.exitedSelf(101, 1, make.valueError),
      make.exitedSelf(100, 0),
    ]) {
      model.ingest(id, event);
    }
    const session = model.session(id);
    assert.ok(session);
    assert.deepEqual(processFailures(session), [
      { exception: make.valueError, target: '__main__.work', processName: 'cruncher', pid: 101, cwd: '/w' },
    ]);
  });

  it('takes a failed task with its exception, and names the worker that ran it', () => {
    const model = new Model();
    const id = model.openSession({ label: 'pool.py' });
    const events = [
      make.hello(100, 50, 'main', { cwd: '/w' }),
      make.hello(102, 100, 'pool-worker', { name: 'ForkPoolWorker-1', cwd: '/w' }),
      make.taskFinished(102, 3, { func: '__main__.square', ok: true }),
      make.taskFinished(102, 3, { func: '__main__.square', ok: false, exception: make.valueError, index: 2 }),
      make.taskFinished(102, 4, { ok: false, exitcode: 3 }),
    ];
    for (const event of events) {
      model.ingest(id, event);
    }
    const session = model.session(id);
    const recorded = model.recording(id)?.items.filter(isEvent) ?? [];
    assert.ok(session);
    const failures = recorded.map((event) => taskFailure(event, session)).filter((failure) => failure !== undefined);
    assert.deepEqual(failures, [
      { exception: make.valueError, target: '__main__.square', processName: 'ForkPoolWorker-1', pid: 102, cwd: '/w', task: 'task' },
    ]);
  });
});
