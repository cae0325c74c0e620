// Hang diagnosis on the extension's side: faulthandler's dump files parsed, the dumper asking
// processes by signal or by request (against a scripted host: no real signals), and the text of
// the read-only document.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import type { ProcessSnapshot } from '../../src/model/types';
import type { StacksRequest } from '../../src/protocol/events';
import { parseFaulthandlerDumps, parseLastFaulthandlerDump, unescapeFaulthandler } from '../../src/stacks/faulthandlerDump';
import { askableProcesses, StackDumper, StackDumperHost } from '../../src/stacks/stackDumper';
import { parseFrameLine, stacksText } from '../../src/stacks/stacksText';
import * as make from './helpers/events';
import { feed } from './helpers/modelRun';

// Captured from CPython 3.13.0 (faulthandler.register(SIGURG, f, all_threads=True)): a thread
// waiting on an Event, and the main thread in the function that sent the signal.
const DUMP_313 = [
  'Thread 0x00007f457f6fc6c0 (most recent call first):',
  '  File "/root/.pyenv/versions/3.13.0/lib/python3.13/threading.py", line 359 in wait',
  '  File "/root/.pyenv/versions/3.13.0/lib/python3.13/threading.py", line 659 in wait',
  '  File "/tmp/fh.py", line 6 in waiter',
  '  File "/root/.pyenv/versions/3.13.0/lib/python3.13/threading.py", line 992 in run',
  '',
  'Current thread 0x00007f4580292b80 (most recent call first):',
  '  File "/tmp/fh.py", line 9 in blocked_forever',
  '  File "/tmp/fh.py", line 11 in <module>',
  '',
].join('\n');

// CPython 3.8 writes the same shape (relative paths as given on the command line).
const DUMP_38 = [
  'Current thread 0x00007f7078201b80 (most recent call first):',
  '  File "fh.py", line 9 in blocked_forever',
  '  File "fh.py", line 11 in <module>',
  '',
].join('\n');

describe('faulthandler dumps', () => {
  it('reads threads and frames, innermost first, the main (last listed) thread first', () => {
    const dump = parseLastFaulthandlerDump(DUMP_313);
    assert.ok(dump);
    assert.equal(dump.threadsTruncated, false);
    assert.equal(dump.threads.length, 2);
    const [main, other] = dump.threads;
    assert.equal(main?.main, true);
    assert.equal(main?.ident, 0x00007f4580292b80);
    assert.deepEqual(main?.frames[0], { file: '/tmp/fh.py', line: 9, function: 'blocked_forever' });
    assert.equal(other?.main, undefined);
    assert.equal(other?.frames[2]?.function, 'waiter');
  });

  it('splits appended dumps where a thread ident repeats, and ignores a line still being written', () => {
    const dumps = parseFaulthandlerDumps(`${DUMP_38}${DUMP_38}Current thread 0x00007f70`);
    assert.equal(dumps.length, 2);
    assert.deepEqual(dumps[1]?.threads[0]?.frames[1], { file: 'fh.py', line: 11, function: '<module>' });
  });

  it('reads unknown parts, cut stacks and cut dumps', () => {
    const text = [
      'Thread 0x0000000000000001 (most recent call first):',
      '  File ???, line ??? in ???',
      '  ...',
      '...',
      '',
    ].join('\n');
    const dump = parseLastFaulthandlerDump(text);
    assert.deepEqual(dump?.threads, [{ ident: 1, frames: [{ file: '???', line: null, function: '???' }], frames_truncated: true }]);
    assert.equal(dump?.threadsTruncated, true);
    const noFrames = parseLastFaulthandlerDump('Stack (most recent call first):\n  <no Python frame>\n');
    assert.deepEqual(noFrames?.threads, [{ ident: 0, frames: [], main: true }]);
  });

  it('undoes faulthandler\'s escapes, and only those', () => {
    assert.equal(unescapeFaulthandler('/home/j\\xf6rg/caf\\u00e9.py'), '/home/jörg/café.py');
    assert.equal(unescapeFaulthandler('emoji \\U0001f600'), 'emoji 😀');
    assert.equal(unescapeFaulthandler('C:\\x41'), 'C:\\x41', 'printable ASCII is never escaped: a literal backslash');
  });

  it('finds nothing in text that is not a dump', () => {
    assert.deepEqual(parseFaulthandlerDumps('Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'), []);
  });
});

/** A host whose dump files and clock the test drives. */
class ScriptedHost implements StackDumperHost {
  files = new Map<string, string>();
  signalled: number[] = [];
  sent: Array<{ pid: number; request: StacksRequest }> = [];
  time = 0;
  /** What a signalled pid appends to its file. */
  answers = new Map<number, { file: string; text: string }>();
  /** Called when a request line is written (the test answers by ingesting an event). */
  onRequest: (pid: number, request: StacksRequest) => void = () => undefined;
  open = true;

  stacksDir(): string | undefined {
    return '/private';
  }
  async realPath(file: string): Promise<string> {
    return file;
  }
  async fileSize(file: string): Promise<number | undefined> {
    const text = this.files.get(file);
    return text === undefined ? undefined : Buffer.byteLength(text);
  }
  async readFrom(file: string, offset: number): Promise<string> {
    return Buffer.from(this.files.get(file) ?? '').subarray(offset).toString('utf8');
  }
  signal(pid: number): void {
    this.signalled.push(pid);
    const answer = this.answers.get(pid);
    if (answer) {
      this.files.set(answer.file, (this.files.get(answer.file) ?? '') + answer.text);
    }
  }
  async send(_sessionId: string, pid: number, request: StacksRequest): Promise<boolean> {
    if (!this.open) {
      return false;
    }
    this.sent.push({ pid, request });
    this.onRequest(pid, request);
    return true;
  }
  now(): number {
    return this.time;
  }
  wallTime(): number {
    return 2000 + this.time / 1000;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
  }
}

function modelWith(...support: Array<[number, Parameters<typeof make.hello>[3]]>): { model: Model; id: string } {
  const model = new Model();
  const id = model.openSession({ label: 'hang.py' });
  feed(model, id, [make.hello(100, 50, 'main', support.find(([pid]) => pid === 100)?.[1] ?? {})]);
  for (const [pid, more] of support) {
    if (pid !== 100) {
      feed(model, id, [make.created(100, `100-${pid}`), make.started(100, `100-${pid}`, pid), make.hello(pid, 100, 'process', more ?? {})]);
    }
  }
  return { model, id };
}

describe('StackDumper', () => {
  it('signals processes that dump to a file in the private directory and reads only the new dump', async () => {
    const { model, id } = modelWith([100, { stacks: { via: 'signal', signal: 'SIGURG', file: '/private/stacks-100.txt' } }]);
    const host = new ScriptedHost();
    host.files.set('/private/stacks-100.txt', DUMP_38); // an earlier dump (e.g. Ctrl-\)
    host.answers.set(100, { file: '/private/stacks-100.txt', text: DUMP_313 });
    const answers = await new StackDumper(model, host).dump(id);
    assert.deepEqual(host.signalled, [100]);
    assert.equal(answers.length, 1);
    const dump = answers[0]?.dump;
    assert.equal(dump?.error, null);
    assert.equal(dump?.reporter, 'collector');
    assert.equal(dump?.threads[0]?.frames[0]?.function, 'blocked_forever', 'the new dump, not the earlier one');
    assert.equal(model.session(id)?.objects.stackDumps('100').length, 1, 'the answer is in the model (and a saved session)');
  });

  it('refuses dump files outside the private directory and reports processes that do not answer', async () => {
    const { model, id } = modelWith(
      [100, { stacks: { via: 'signal', signal: 'SIGURG', file: '/etc/stacks-100.txt' } }],
      [101, { stacks: { via: 'signal', signal: 'SIGURG', file: '/private/stacks-101.txt' } }],
    );
    const host = new ScriptedHost();
    host.files.set('/etc/stacks-100.txt', '');
    host.files.set('/private/stacks-101.txt', '');
    const answers = await new StackDumper(model, host, { answerTimeoutMs: 1000, settleMs: 100, pollMs: 50 }).dump(id);
    assert.deepEqual(host.signalled, [101], 'a file outside the private directory is never trusted');
    assert.match(answers[0]?.dump?.error ?? '', /not in the collector's private directory/);
    assert.match(answers[1]?.dump?.error ?? '', /did not answer within 1\.0 s/);
  });

  it('writes a request line to processes that answer on their stream, and waits for the answer with its id', async () => {
    const { model, id } = modelWith([100, { stacks: { via: 'request' } }]);
    const host = new ScriptedHost();
    host.onRequest = (pid, request) => {
      feed(model, id, [make.stacks(pid, { request: request.id })]);
    };
    const answers = await new StackDumper(model, host).dump(id);
    assert.equal(host.sent.length, 1);
    assert.equal(host.sent[0]?.request.kind, 'request.stacks');
    assert.equal(answers[0]?.dump?.request, host.sent[0]?.request.id);
    assert.deepEqual(answers[0]?.dump?.threads, [make.blockedMainThread]);
  });

  it('asks only live processes whose stream is open and that said how', () => {
    const { model, id } = modelWith([100, { stacks: { via: 'request' } }], [101, { stacks: { via: 'request' } }], [102, {}]);
    feed(model, id, [make.exitedSelf(101, 0), { close: 101 }]);
    const session = model.session(id);
    assert.ok(session);
    assert.deepEqual(askableProcesses(session).map((process) => process.pid), [100]);
  });

  it('asks a quiet child by the file its parent named, until its parent reports its exit', async () => {
    const model = new Model();
    const id = model.openSession({ label: 'quiet.py' });
    const support = { via: 'signal', signal: 'SIGURG', file: '/private/stacks-101.txt', sigquit: false } as const;
    feed(model, id, [
      make.hello(100, 50, 'main', { stacks: { via: 'signal', signal: 'SIGURG', file: '/private/stacks-100.txt' } }),
      make.created(100, '100-1'),
      make.started(100, '100-1', 101, { quiet: true, stacks: support }),
    ]);
    const session = model.session(id);
    assert.ok(session);
    const child = session.processByPid(101);
    assert.equal(child?.state, 'running', 'a quiet child runs without having said hello');
    assert.equal(child?.connected, false);
    assert.deepEqual(session.objects.stacksSupport(child?.key ?? ''), support);
    assert.deepEqual(askableProcesses(session).map((process) => process.pid), [100, 101]);

    const host = new ScriptedHost();
    host.files.set('/private/stacks-100.txt', '');
    host.files.set('/private/stacks-101.txt', '');
    host.answers.set(101, { file: '/private/stacks-101.txt', text: DUMP_313 });
    const answers = await new StackDumper(model, host, { answerTimeoutMs: 1000, settleMs: 100, pollMs: 50 }).dump(id, [child?.key ?? '']);
    assert.deepEqual(host.signalled, [101]);
    assert.equal(answers[0]?.dump?.threads[0]?.frames[0]?.function, 'blocked_forever');

    feed(model, id, [make.exitedBy('parent', 100, 101, 0)]);
    assert.deepEqual(askableProcesses(model.session(id) as NonNullable<typeof session>).map((process) => process.pid), [100],
      'ended: its pid may belong to someone else now');
  });

  it('treats a quiet child that said hello after all like any other: asked while its stream is open', () => {
    const model = new Model();
    const id = model.openSession({ label: 'quiet.py' });
    feed(model, id, [
      make.hello(100, 50, 'main'),
      make.created(100, '100-1'),
      make.started(100, '100-1', 101, { quiet: true, stacks: { via: 'signal', signal: 'SIGURG', file: '/private/stacks-101.txt' } }),
      make.hello(101, 100, 'process', { stacks: { via: 'signal', signal: 'SIGURG', file: '/private/stacks-101.txt' } }),
    ]);
    const session = model.session(id);
    assert.ok(session);
    assert.equal(session.processByPid(101)?.quiet, false);
    assert.deepEqual(askableProcesses(session).map((process) => process.pid), [101]);
    feed(model, id, [{ close: 101 }]);
    assert.deepEqual(askableProcesses(session).map((process) => process.pid), []);
  });
});

describe('stacks document text', () => {
  it('shows each process, its threads and frames as traceback lines the editor can link', () => {
    const { model, id } = modelWith([100, { stacks: { via: 'request' } }]);
    feed(model, id, [make.stacks(100, { request: 'r1' })]);
    const session = model.session(id);
    const process = session?.process('100') as ProcessSnapshot;
    const text = stacksText({
      sessionLabel: 'hang.py',
      at: 1000,
      dumps: [{ process, dump: session?.objects.stackDumps('100')[0] }],
      notAsked: [],
    });
    assert.match(text, /1 process asked, 1 answered/);
    assert.match(text, /── pid 100 · MainProcess \(main\) · running/);
    assert.match(text, /main thread 0x[0-9a-f]{16}:\n {4}File "\/usr\/lib\/python3\.11\/threading\.py", line 320, in wait\n {4}File "\/w\/hang\.py", line 9, in wait_forever/);
    const frameLine = text.split('\n').find((line) => line.includes('wait_forever')) as string;
    const frame = parseFrameLine(frameLine);
    assert.deepEqual(frame && { file: frame.file, line: frame.line }, { file: '/w/hang.py', line: 9 });
    assert.equal(frameLine.slice(frame?.start, frame?.end), '"/w/hang.py", line 9');
  });

  it('says why a process has no stacks, and lists those not asked', () => {
    const { model, id } = modelWith([100, {}]);
    feed(model, id, [make.stacks(100, { threads: [], error: 'no answer within 5.0 s', reporter: 'collector', child_pid: 100 })]);
    const session = model.session(id);
    const process = session?.process('100') as ProcessSnapshot;
    const text = stacksText({ sessionLabel: 'x', at: 1000, dumps: [{ process, dump: session?.objects.stackDumps('100')[0] }], notAsked: [process] });
    assert.match(text, /0 answered/);
    assert.match(text, /no stacks: no answer within 5\.0 s/);
    assert.match(text, /Not asked .*\n {2}pid 100/);
  });
});
