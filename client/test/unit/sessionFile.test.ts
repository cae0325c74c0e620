// Saved sessions: what "Save Session" writes, how "Open Saved Session" reads it back (and the
// terminal launcher's --output files), and the promise that matters: a saved session replays
// into exactly the state it was saved from.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { SessionSnapshot } from '../../src/model/types';
import { REDACTED_TOKEN } from '../../src/sessionFile/format';
import { describeSkipped, SessionFileParser } from '../../src/sessionFile/parser';
import { replayChunks, replaySessionFile } from '../../src/sessionFile/readFile';
import { SessionReplay } from '../../src/sessionFile/replay';
import { chunked, sessionFileLines } from '../../src/sessionFile/writer';
import * as make from './helpers/events';
import { countInterleavings, interleavings } from './helpers/interleave';
import { allStreams, applyItems, arrivalOrder, crashingStream, killedStream, mainStream, sampleSession, StreamItem } from './helpers/sampleRun';

const SAVED_AT = 5000;

function saveLines(model: Model, sessionId: string): string[] {
  const session = model.session(sessionId);
  const recording = model.recording(sessionId);
  assert.ok(session && recording);
  return [...sessionFileLines(session, recording, SAVED_AT)];
}

function replayLines(lines: readonly string[], model = new Model({ clock: () => 1 }), fileName = 'run.jsonl'): { model: Model; sessionId: string; parser: SessionFileParser } {
  const parser = new SessionFileParser();
  const replay = new SessionReplay(model, { fileName, batchSize: 3 });
  for (const line of lines) {
    replay.accept(parser.parse(line));
  }
  const summary = replay.finish();
  assert.ok(summary.sessionId, 'the replay opened no session');
  return { model, sessionId: summary.sessionId, parser };
}

function snapshotOf(model: Model, sessionId: string): SessionSnapshot {
  const found = model.snapshot().find((session) => session.id === sessionId);
  assert.ok(found);
  return found;
}

/** The snapshot without what a replay changes on purpose: id, label and kind. */
function comparable(snapshot: SessionSnapshot): Omit<SessionSnapshot, 'id' | 'label' | 'kind'> {
  const { id: _id, label: _label, kind: _kind, ...rest } = snapshot;
  return rest;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-session-file-'));
}

describe('session files: saving', () => {
  it('writes a header, then every event and stream closing in the order it arrived', () => {
    const items = arrivalOrder();
    const { model, sessionId } = sampleSession(items);
    const lines = saveLines(model, sessionId);
    assert.equal(lines.length, items.length + 1);
    const header = JSON.parse(lines[0] as string);
    assert.deepEqual(header, {
      mpscope: 'session',
      format: 1,
      label: 'prog.py',
      sessionKind: 'run',
      startedAt: 999.9,
      endedAt: 1003.6,
      savedAt: SAVED_AT,
      items: items.length,
      dropped: 0,
    });
    lines.slice(1).forEach((line, index) => {
      const item = items[index] as StreamItem;
      const parsed = JSON.parse(line);
      if ('close' in item) {
        assert.deepEqual(parsed, { mpscope: 'stream.closed', pid: item.close, t: item.t });
      } else if (item.kind === 'hello') {
        assert.deepEqual(parsed, { ...item, token: REDACTED_TOKEN });
      } else {
        assert.deepEqual(parsed, item);
      }
    });
  });

  it('never writes the session token', () => {
    const { model, sessionId } = sampleSession();
    const text = saveLines(model, sessionId).join('\n');
    assert.ok(!text.includes(make.TOKEN));
    assert.ok(text.includes(REDACTED_TOKEN));
  });

  it('joins lines into chunks that end on line boundaries', () => {
    const lines = Array.from({ length: 1000 }, (_, index) => `line ${index}`);
    const chunks = [...chunked(lines, 100)];
    assert.ok(chunks.length > 50);
    for (const chunk of chunks) {
      assert.ok(chunk.endsWith('\n'));
    }
    assert.equal(chunks.join(''), `${lines.join('\n')}\n`);
  });
});

describe('session files: a saved session replays identically', () => {
  it('ingest → save → replay gives the same snapshot (modulo id, label and kind)', () => {
    const { model, sessionId } = sampleSession();
    const original = snapshotOf(model, sessionId);
    const replayed = replayLines(saveLines(model, sessionId));
    const copy = snapshotOf(replayed.model, replayed.sessionId);
    assert.equal(copy.kind, 'replay');
    assert.equal(copy.label, 'prog.py (run.jsonl)');
    assert.deepEqual(comparable(copy), comparable(original));
    // Not a trivial equality: the run has every kind of ending.
    assert.deepEqual(
      original.processes.map((p) => `${p.pid} ${p.state}`),
      ['100 exited', '101 failed', '102 killed', '103 exited', '104 lost'],
    );
    assert.equal(replayed.parser.skippedTotal, 0);
  });

  it('holds for every order in which the streams can arrive', () => {
    // Three streams that interact (exit reports from both sides, a kill, a stream close).
    const main = [0, 1, 2, 3, 4, 9, 10, 11].map((index) => mainStream[index] as StreamItem);
    const streams = [main, crashingStream, killedStream];
    const total = countInterleavings(streams.map((stream) => stream.length));
    let checked = 0;
    for (const order of interleavings(streams)) {
      // Every 7th order keeps the test fast while still covering thousands of them.
      if (checked++ % 7 !== 0) {
        continue;
      }
      const { model, sessionId } = sampleSession(order);
      model.endSession(sessionId, 2000); // as when the terminal of the run is closed
      const replayed = replayLines(saveLines(model, sessionId));
      assert.deepEqual(comparable(snapshotOf(replayed.model, replayed.sessionId)), comparable(snapshotOf(model, sessionId)));
    }
    assert.equal(checked, total);
    assert.ok(total > 10_000);
  });

  it('keeps a session that was still running when saved as it was (no closings invented)', () => {
    const items = arrivalOrder().filter((item) => item.t < 1001);
    const model = new Model({ clock: () => 999.9 });
    const sessionId = model.openSession({ label: 'live.py', startedAt: 999.9 });
    applyItems(model, sessionId, items);
    const original = snapshotOf(model, sessionId);
    assert.equal(original.endedAt, null);
    const replayed = replayLines(saveLines(model, sessionId));
    const copy = snapshotOf(replayed.model, replayed.sessionId);
    // A replay is finished: it ends at the last moment the file knows of.
    assert.equal(copy.endedAt, Math.max(...items.map((item) => item.t)));
    assert.deepEqual(copy.processes, original.processes);
    assert.ok(copy.processes.some((p) => p.state === 'running' && p.connected));
  });

  it('saves a replayed session again into the same lines (but its header)', () => {
    const { model, sessionId } = sampleSession();
    const first = saveLines(model, sessionId);
    const replayed = replayLines(first);
    const second = saveLines(replayed.model, replayed.sessionId);
    assert.deepEqual(second.slice(1), first.slice(1));
  });

  it('replays through a file on disk read in tiny chunks (lines split across chunks)', async () => {
    const { model, sessionId } = sampleSession();
    const dir = tempDir();
    try {
      const file = path.join(dir, 'saved.jsonl');
      fs.writeFileSync(file, [...chunked(saveLines(model, sessionId), 50)].join(''));
      const target = new Model();
      let progressCalls = 0;
      const outcome = await replaySessionFile(file, target, { chunkBytes: 37, progress: () => progressCalls++ });
      assert.ok(outcome.sessionId);
      assert.ok(progressCalls > 50, `read in ${progressCalls} chunks`);
      assert.equal(outcome.skipped, 0);
      assert.equal(outcome.cancelled, false);
      assert.equal(outcome.bytes, fs.statSync(file).size);
      assert.deepEqual(comparable(snapshotOf(target, outcome.sessionId)), comparable(snapshotOf(model, sessionId)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('session files: reading what others wrote', () => {
  it('skips and counts malformed lines, names the first ones, and replays the rest', () => {
    const { model, sessionId } = sampleSession();
    const lines = saveLines(model, sessionId);
    const damaged = [
      lines[0] as string,
      '{"not closed',
      ...lines.slice(1, 4),
      '[1, 2, 3]',
      '{"v": 1, "kind": "process.teleported", "t": 1, "pid": 3}',
      '{"mpscope": "stream.closed", "pid": "x", "t": 1}',
      '{"mpscope": "future.thing"}',
      lines[0] as string,
      '',
      '   ',
      ...lines.slice(4),
    ];
    const replayed = replayLines(damaged);
    assert.deepEqual(Object.fromEntries(replayed.parser.skipped), {
      'not-json': 1,
      'not-an-event': 2,
      'bad-annotation': 2,
      'extra-header': 1,
    });
    assert.equal(
      describeSkipped(replayed.parser),
      '6 malformed lines skipped (1 not JSON, 2 not an mpscope event, 2 unknown or malformed session line, 1 second session header; lines 2, 6, 7, 8, 9, …)',
    );
    assert.deepEqual(comparable(snapshotOf(replayed.model, replayed.sessionId)), comparable(snapshotOf(model, sessionId)));
  });

  it('reads a byte order mark, CRLF line ends and a last line without a newline', async () => {
    const { model, sessionId } = sampleSession();
    const text = `\ufeff${saveLines(model, sessionId).join('\r\n')}`;
    const target = new Model();
    const outcome = await replayChunks([Buffer.from(text, 'utf8')], text.length, 'crlf.jsonl', target);
    assert.equal(outcome.skipped, 0, outcome.skippedText);
    assert.ok(outcome.sessionId);
    assert.deepEqual(comparable(snapshotOf(target, outcome.sessionId)), comparable(snapshotOf(model, sessionId)));
  });

  it('drops lines over the size bound and lines that are not UTF-8, counting them', async () => {
    const { model, sessionId } = sampleSession();
    const lines = saveLines(model, sessionId);
    const oversize = Buffer.from(`{"junk": "${'x'.repeat(5000)}"}\n`);
    const notUtf8 = Buffer.from([0xff, 0xfe, 0x7b, 0x0a]);
    const chunks = [Buffer.from(`${lines.slice(0, 3).join('\n')}\n`), oversize, notUtf8, Buffer.from(`${lines.slice(3).join('\n')}\n`)];
    const target = new Model();
    const outcome = await replayChunks(chunks, 0, 'mixed.jsonl', target, { maxLineBytes: 4096 });
    assert.equal(outcome.skipped, 2);
    assert.match(outcome.skippedText, /1 longer than 1 MiB, 1 not UTF-8; lines 4, 5/);
    assert.ok(outcome.sessionId);
    assert.deepEqual(comparable(snapshotOf(target, outcome.sessionId)), comparable(snapshotOf(model, sessionId)));
  });

  it('opens no session for a file without a single event', async () => {
    const target = new Model();
    const text = 'hello world\n{"a": 1}\n';
    const outcome = await replayChunks([Buffer.from(text)], text.length, 'notes.jsonl', target);
    assert.equal(outcome.sessionId, undefined);
    assert.equal(target.sessions().length, 0);
    assert.equal(outcome.skipped, 2);
  });

  it('replays a launcher file (no header, no closings): every stream ends with the file', () => {
    // What `python -m mpscope run --output` writes: the launcher's and the program's events only,
    // and a collector "lost" record for a process that never reported its end.
    const lines = [
      make.hello(50, 10, 'launcher', { t: 10 }),
      make.hello(100, 50, 'main', { argv: ['/w/app.py'], t: 10.1 }),
      make.created(100, '100-1', { t: 10.2 }),
      make.started(100, '100-1', 101, { t: 10.3 }),
      make.hello(101, 100, 'process', { t: 10.4 }),
      make.hello(102, 100, 'process', { t: 10.45 }),
      make.exitedSelf(101, 0, undefined, 10.5),
      make.exitedBy('launcher', 50, 100, 0, undefined, 11),
      make.exitedBy('collector', 50, 102, null, undefined, 11.5),
    ].map((event) => JSON.stringify(event));
    const replayed = replayLines(lines, new Model(), 'app-run.jsonl');
    const session = snapshotOf(replayed.model, replayed.sessionId);
    assert.equal(session.label, 'app.py (app-run.jsonl)');
    assert.equal(session.startedAt, 10);
    assert.equal(session.endedAt, 11.5);
    assert.equal(session.launcherPid, 50);
    assert.deepEqual(
      session.processes.map((p) => `${p.pid} ${p.state} connected=${p.connected}`),
      ['100 exited connected=false', '101 exited connected=false', '102 lost connected=false'],
    );
  });

  it('replays a file written by the real launcher (python -m mpscope run --output)', async (t) => {
    const python = ['python3', 'python'].find((candidate) => spawnSync(candidate, ['--version']).status === 0);
    if (!python) {
      t.skip('no Python on PATH');
      return;
    }
    const repo = path.resolve(__dirname, '../../../..');
    const dir = tempDir();
    try {
      const output = path.join(dir, 'run.jsonl');
      const result = spawnSync(python, ['-m', 'mpscope', 'run', '--no-summary', '--output', output, path.join(repo, 'samples', 'crashing_child.py')], {
        cwd: dir,
        env: { ...process.env, PYTHONPATH: path.join(repo, 'runtime'), MPSCOPE_ADDR: '', MPSCOPE_TOKEN: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(result.status, 0, `launcher failed: ${result.stderr}`);
      const hellos = fs.readFileSync(output, 'utf8').split('\n').filter((line) => line.includes('"hello"'));
      assert.ok(hellos.length >= 3 && hellos.every((line) => JSON.parse(line).token === REDACTED_TOKEN), 'the launcher wrote a token');
      const model = new Model();
      const outcome = await replaySessionFile(output, model);
      assert.equal(outcome.skipped, 0, outcome.skippedText);
      assert.ok(outcome.sessionId);
      const session = snapshotOf(model, outcome.sessionId);
      assert.equal(session.label, 'crashing_child.py (run.jsonl)');
      assert.notEqual(session.endedAt, null);
      const main = session.processes.find((p) => p.role === 'main');
      const child = session.processes.find((p) => p.role === 'process');
      assert.equal(main?.state, 'exited');
      assert.equal(child?.state, 'failed');
      assert.equal(child?.parentKey, main?.key);
      assert.equal(child?.exit?.exitcode, 1);
      assert.equal(child?.exit?.exception?.type, 'ValueError');
      assert.ok(session.processes.every((p) => !p.connected));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams a large file in bounded pieces and can be cancelled between them', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'big.jsonl');
      const processes = 2000;
      const events: string[] = [JSON.stringify(make.hello(1, 0, 'main', { t: 1 }))];
      for (let pid = 2; pid < processes + 2; pid++) {
        events.push(JSON.stringify(make.hello(pid, 1, 'process', { t: 1 + pid / 1e4 })));
        events.push(JSON.stringify(make.exitedSelf(pid, 0, undefined, 2 + pid / 1e4)));
      }
      fs.writeFileSync(file, `${events.join('\n')}\n`);
      const size = fs.statSync(file).size;

      const full = new Model();
      let chunks = 0;
      const outcome = await replaySessionFile(file, full, { chunkBytes: 64 * 1024, progress: () => chunks++ });
      assert.equal(outcome.events, events.length);
      assert.equal(outcome.processes, processes + 1);
      assert.ok(chunks >= Math.floor(size / (64 * 1024)), `${chunks} chunks for ${size} bytes`);

      const partial = new Model();
      let seen = 0;
      const stopped = await replaySessionFile(file, partial, { chunkBytes: 64 * 1024, cancelled: () => ++seen >= 2 });
      assert.equal(stopped.cancelled, true);
      assert.ok(stopped.events > 0 && stopped.events < events.length);
      assert.notEqual(snapshotOf(partial, stopped.sessionId as string).endedAt, null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('session files: the recording behind them', () => {
  it('records events and closings of every session as they arrive, and forgets cleared sessions', () => {
    const { model, sessionId } = sampleSession();
    const recording = model.recording(sessionId);
    assert.equal(recording?.items.length, arrivalOrder(allStreams).length);
    assert.equal(recording?.complete, true);
    model.removeSession(sessionId);
    assert.equal(model.recording(sessionId), undefined);
  });
});
