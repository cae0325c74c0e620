// Merging exit reports directly (the model tests cover them through events).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExitReport, mergeExitReports, processState } from '../../src/model/exitRecord';
import { PORTABLE_SIGNALS, signalForExitCode, signalTableFrom } from '../../src/model/signals';

const report = (reporter: ExitReport['reporter'], exitcode: number | null, more: Partial<ExitReport> = {}): ExitReport => ({
  reporter,
  exitcode,
  signal: null,
  exception: null,
  t: 10,
  ...more,
});

describe('mergeExitReports', () => {
  it('has no record without reports', () => {
    assert.equal(mergeExitReports([]), null);
    assert.equal(processState(null, false), 'starting');
    assert.equal(processState(null, true), 'running');
  });

  it('takes the launcher\'s code for the main process over the process\'s own', () => {
    const merged = mergeExitReports([report('self', 0), report('launcher', 2, { t: 11 })]);
    assert.deepEqual(merged, { exitcode: 2, signal: null, exception: null, reporters: ['self', 'launcher'], t: 10 });
    assert.equal(merged && processState(merged, true), 'failed');
  });

  it('uses the process\'s own code when nobody else reported one', () => {
    const merged = mergeExitReports([report('self', 3), report('parent', null)]);
    assert.equal(merged?.exitcode, 3);
  });

  it('keeps an exception from whoever reported it when the process itself did not', () => {
    const exception = { type: 'KeyError', message: "'x'" };
    const merged = mergeExitReports([report('parent', 1, { exception })]);
    assert.deepEqual(merged?.exception, exception);
  });

  it('ignores the collector once anyone else reported, in any order', () => {
    for (const reports of [
      [report('collector', null, { t: 20 }), report('parent', 0, { t: 15 })],
      [report('parent', 0, { t: 15 }), report('collector', null, { t: 20 })],
    ]) {
      const merged = mergeExitReports(reports);
      assert.deepEqual(merged, { exitcode: 0, signal: null, exception: null, reporters: ['parent'], t: 15 });
      assert.equal(merged && processState(merged, true), 'exited');
    }
  });

  it('calls an exit with a signal killed even when the process also raised', () => {
    const merged = mergeExitReports([report('self', 1, { exception: { type: 'E', message: 'm' } }), report('parent', -15)]);
    assert.equal(merged?.signal, 'SIGTERM');
    assert.equal(merged && processState(merged, true), 'killed');
  });

  it('treats an unknown code without an error as a plain exit', () => {
    const merged = mergeExitReports([report('self', null)]);
    assert.equal(merged && processState(merged, true), 'exited');
  });
});

describe('signal names', () => {
  it('names the portable signals and nothing for other codes', () => {
    assert.equal(signalForExitCode(-9), 'SIGKILL');
    assert.equal(signalForExitCode(9), null);
    assert.equal(signalForExitCode(null), null);
    assert.equal(signalForExitCode(-64), null);
    assert.equal(PORTABLE_SIGNALS.size, 12);
  });

  it('adds the host\'s own signals without replacing portable names by aliases', () => {
    const table = signalTableFrom({ SIGUSR2: 12, SIGIOT: 6, SIGPOLL: 29, SIGIO: 29, weird: 99 });
    assert.equal(signalForExitCode(-12, table), 'SIGUSR2');
    assert.equal(signalForExitCode(-6, table), 'SIGABRT');
    assert.equal(signalForExitCode(-29, table), 'SIGPOLL');
    assert.equal(signalForExitCode(-99, table), null);
  });
});
