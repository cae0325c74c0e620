// The pure parts of the view's actions: how a process is stopped on each platform, the runtime
// settings a run gets for stack dumps, and the model's tasks as timeline bars.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeRuntimeOptions, runEnvironment } from '../../src/commands/runPlan';
import { stopPlan, stopPlanText } from '../../src/os/stopProcess';
import { modelTasks } from '../../src/timeline/taskSource';
import { buildTimeline } from '../../src/timeline/timeline';
import * as make from './helpers/events';
import { runModel } from './helpers/modelRun';

describe('stopPlan', () => {
  it('signals on POSIX: SIGTERM to terminate, SIGKILL to kill', () => {
    assert.deepEqual(stopPlan('linux', 4242, 'terminate', 1), { kind: 'signal', pid: 4242, signal: 'SIGTERM' });
    assert.deepEqual(stopPlan('darwin', 4242, 'kill', 1), { kind: 'signal', pid: 4242, signal: 'SIGKILL' });
    assert.equal(stopPlanText(stopPlan('linux', 4242, 'kill', 1)), 'SIGKILL');
  });

  it('runs taskkill /F on Windows, which has no signals', () => {
    for (const method of ['terminate', 'kill'] as const) {
      assert.deepEqual(stopPlan('win32', 4242, method, 1), { kind: 'command', pid: 4242, command: 'taskkill', args: ['/PID', '4242', '/F'] });
    }
    assert.equal(stopPlanText(stopPlan('win32', 7, 'kill', 1)), 'taskkill /PID 7 /F');
  });

  it('refuses pids that would hit a process group, init or the extension host itself', () => {
    for (const pid of [0, -1, -4242, 1, 1.5, Number.NaN]) {
      assert.throws(() => stopPlan('linux', pid, 'kill', 999), /refusing to signal/, String(pid));
    }
    assert.throws(() => stopPlan('linux', 999, 'kill', 999), /refusing to signal pid 999/);
  });
});

describe('runtime options of a run', () => {
  const sessionEnv = { MPSCOPE_ADDR: 'unix:/tmp/mpscope-x/collector.sock', MPSCOPE_TOKEN: 't'.repeat(64) };

  it('adds the session\'s stack-dump settings over the user\'s own MPSCOPE_OPTIONS', () => {
    const env = runEnvironment({
      platform: 'linux',
      sessionEnv,
      runtimeDir: '/ext/runtime',
      existingPythonPath: undefined,
      runtimeOptions: { stacks_dir: '/tmp/mpscope-x' },
      existingOptions: '{"capture_args": true, "stacks_dir": "/elsewhere"}',
    });
    assert.deepEqual(JSON.parse(env.MPSCOPE_OPTIONS ?? ''), { capture_args: true, stacks_dir: '/tmp/mpscope-x' });
  });

  it('replaces options that are not a JSON object, and adds none when the session has none', () => {
    assert.equal(mergeRuntimeOptions('not json', { stacks_via: 'request' }), '{"stacks_via":"request"}');
    assert.equal(mergeRuntimeOptions('[1]', { stacks_via: 'request' }), '{"stacks_via":"request"}');
    const env = runEnvironment({ platform: 'linux', sessionEnv, runtimeDir: '/ext/runtime', existingPythonPath: undefined });
    assert.equal(env.MPSCOPE_OPTIONS, undefined);
  });
});

describe('model tasks on the timeline', () => {
  it('draws every task a worker reported, failed ones labelled with their exception', () => {
    const { model, sessionId } = runModel([
      make.hello(100, 50, 'main'),
      make.poolCreated(100, '100-1'),
      ...make.worker(100, '100-1', '100-1', 201),
      make.hello(201, 100, 'pool-worker'),
      make.taskFinished(201, 0, { index: 0, started: 1002, duration: 0.5 }),
      make.taskFinished(201, 0, { index: 1, started: 1002.5, duration: 0.25, ok: false, exception: make.valueError }),
    ]);
    const session = model.session(sessionId);
    assert.ok(session);
    const lane = buildTimeline(session, modelTasks).lanes.find((candidate) => candidate.pid === 201);
    assert.deepEqual(lane?.tasks.map((task) => [task.start, task.end, task.state, task.label]), [
      [1002, 1002.5, 'done', 'jobs.square (job 0 #0)'],
      [1002.5, 1002.75, 'failed', 'jobs.square (job 0 #1) failed: ValueError: bad input'],
    ]);
    assert.deepEqual(buildTimeline(session, modelTasks).lanes.find((candidate) => candidate.pid === 100)?.tasks, []);
  });
});
