// What the OS process list and the debug adapter added to a session is saved with it, and a
// replay of the file comes to the same processes, zombies, orphans and "lost" records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { OsProcess } from '../../src/model/osSnapshot';
import type { SessionSnapshot } from '../../src/model/types';
import { SessionFileParser } from '../../src/sessionFile/parser';
import { SessionReplay } from '../../src/sessionFile/replay';
import { sessionFileLines } from '../../src/sessionFile/writer';
import * as make from './helpers/events';

const ps = (pid: number, ppid: number, command = 'python3', stat = 'S'): OsProcess => ({ pid, ppid, stat, command });
/** Processes of other programs, which the file must not carry. */
const others = [ps(1, 0, 'init'), ps(7, 1, 'sshd'), ps(8, 7, 'bash')];

/** A debug session: debuggee 100 starts 101; 101 starts `sleep` (200) and is killed; 102 is a zombie a while. */
function liveDebugSession(): { model: Model; id: string } {
  const model = new Model({ clock: () => 1 });
  const id = model.openSession({ label: 'Python: debug', kind: 'debug', startedAt: 10 });
  const os = (t: number, ...processes: OsProcess[]): void => model.observeOs(id, { t, processes: [...others, ps(90, 1), ...processes] });
  model.setDebuggee(id, 100);
  model.ingest(id, make.hello(100, 90, 'main', { t: 11 }));
  os(11.5, ps(100, 90));
  model.ingest(id, make.created(100, '100-1', { name: 'parent', t: 12 }));
  model.ingest(id, make.started(100, '100-1', 101, { t: 12 }));
  model.ingest(id, make.hello(101, 100, 'process', { t: 12.1 }));
  model.ingest(id, make.created(100, '100-2', { name: 'quick', t: 12.2 }));
  model.ingest(id, make.started(100, '100-2', 102, { t: 12.2 }));
  os(12.5, ps(100, 90), ps(101, 100), { ...ps(200, 101, 'sleep'), startedAt: 12 }, ps(102, 100, 'python3', 'R'));
  os(13, ps(100, 90, 'python3', 'R'), ps(101, 100), ps(200, 101, 'sleep'), ps(102, 100, 'python3', 'Z'));
  model.ingest(id, make.exitedBy('parent', 100, 101, -9, 'SIGKILL', 13.5));
  os(14, ps(100, 90), ps(200, 1, 'sleep'), ps(102, 100, 'python3', 'Z'));
  os(14.5, ps(100, 90), ps(200, 1, 'sleep'), ps(102, 100, 'python3', 'Z'));
  model.ingest(id, make.exitedBy('parent', 100, 102, 0, undefined, 15));
  os(15.5, ps(100, 90));
  model.ingest(id, make.exitedBy('launcher', 90, 100, 0, undefined, 16));
  model.endSession(id, 16);
  os(16.5); // the look after the end: the debuggee is gone too
  return { model, id };
}

function snapshot(model: Model, id: string): SessionSnapshot {
  const found = model.snapshot().find((session) => session.id === id);
  assert.ok(found);
  return found;
}

function comparable(session: SessionSnapshot): Omit<SessionSnapshot, 'id' | 'label' | 'kind'> {
  const { id: _id, label: _label, kind: _kind, ...rest } = session;
  return rest;
}

describe('OS facts in saved sessions', () => {
  it('replays to the same state, with only the snapshots that changed something and only the session\'s processes', () => {
    const { model, id } = liveDebugSession();
    const original = snapshot(model, id);
    assert.deepEqual(original.processes.map((p) => `${p.name}(${p.pid}) ${p.state}${p.orphaned ? ' orphaned' : ''}`), [
      'MainProcess(100) exited',
      'parent(101) killed',
      'quick(102) exited',
      'sleep(200) lost orphaned',
    ]);
    const session = model.session(id);
    const recording = model.recording(id);
    assert.ok(session && recording);
    const lines = [...sessionFileLines(session, recording, 20)];
    const osLines = lines.filter((line) => line.includes('"os.snapshot"'));
    // 11.5 (main listed), 12.5 (sleep, 101, 102), 13 (102 a zombie), 14 (sleep's new parent),
    // 15.5 (vanished), 16.5 (the debuggee vanished); not 14.5, which changed nothing.
    assert.equal(osLines.length, 6, osLines.join('\n'));
    assert.ok(!osLines.some((line) => /"(sshd|init|bash)"/.test(line)), 'other programs were saved');
    assert.ok(lines.includes('{"mpscope":"debuggee","pid":100}'));

    const replayModel = new Model({ clock: () => 1 });
    const parser = new SessionFileParser();
    const replay = new SessionReplay(replayModel, { fileName: 'debug.jsonl', batchSize: 2 });
    for (const line of lines) {
      replay.accept(parser.parse(line));
    }
    const summary = replay.finish();
    assert.equal(parser.skippedTotal, 0);
    assert.ok(summary.sessionId);
    const replayed = snapshot(replayModel, summary.sessionId);
    assert.deepEqual(comparable(replayed), comparable(original));
  });

  it('never offers to kill the survivors of a replay', () => {
    const model = new Model({ clock: () => 1 });
    const id = model.openSession({ label: 'x', kind: 'replay' });
    model.ingest(id, make.hello(50, 1, 'launcher'));
    model.observeOs(id, { t: 1, processes: [ps(50, 1), ps(60, 50, 'sleep')] });
    model.endSession(id, 2);
    assert.deepEqual(model.session(id)?.survivors(), []);
  });

  it('skips a malformed OS line and keeps reading', () => {
    const parser = new SessionFileParser();
    assert.equal(parser.parse('{"mpscope":"os.snapshot","t":1,"processes":[[1,0,"S","init"]]}')?.type, 'skipped');
    assert.equal(parser.parse('{"mpscope":"os.snapshot","t":1,"processes":[[1,0,"S","init","yesterday"]]}')?.type, 'skipped');
    assert.equal(parser.parse('{"mpscope":"os.snapshot","t":1,"processes":"no"}')?.type, 'skipped');
    assert.equal(parser.parse('{"mpscope":"debuggee","pid":0}')?.type, 'skipped');
    assert.deepEqual(parser.parse('{"mpscope":"os.snapshot","t":2,"processes":[[5,4,"Z","sh",null],[6,4,"S","cat",1.5]]}'), {
      type: 'os',
      snapshot: { t: 2, processes: [{ pid: 5, ppid: 4, stat: 'Z', command: 'sh' }, { pid: 6, ppid: 4, stat: 'S', command: 'cat', startedAt: 1.5 }] },
    });
    assert.deepEqual(parser.parse('{"mpscope":"debuggee","pid":9}'), { type: 'debuggee', pid: 9 });
  });
});
