// The model's second input: snapshots of the OS process list. Non-Python children appear,
// zombies show, a process that vanished without a word is lost (until someone reports), orphans
// and survivors are told apart; the same merge rules as for the events apply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Model } from '../../src/model/model';
import { OsObserved } from '../../src/model/recording';
import type { OsProcess } from '../../src/model/osSnapshot';
import type { ProcessSnapshot } from '../../src/model/types';
import type { MpscopeEvent } from '../../src/protocol/events';
import { isValidEvent } from '../../src/protocol/eventSchema';
import { processContext, processDescription, processTooltip, sessionDescription } from '../../src/views/processPresentation';
import * as make from './helpers/events';

const LAUNCHER = 50;
const MAIN = 100;

/** A few processes that belong to no session, as every real list has. */
const unrelated: OsProcess[] = [
  { pid: 1, ppid: 0, stat: 'Ss', command: 'init' },
  { pid: 40, ppid: 1, stat: 'Ss', command: 'bash' },
  { pid: 41, ppid: 1, stat: 'S', command: 'sleep' },
];

const ps = (pid: number, ppid: number, command = 'python3', stat = 'S'): OsProcess => ({ pid, ppid, stat, command });

class Run {
  readonly model = new Model({ clock: () => 999 });
  readonly id = this.model.openSession({ label: 'test.py' });
  notifications = 0;

  constructor() {
    this.model.onDidChange(() => this.notifications++);
  }

  events(...events: MpscopeEvent[]): this {
    for (const event of events) {
      assert.ok(isValidEvent(event), `test event does not match the schema: ${JSON.stringify(event)}`);
      this.model.ingest(this.id, event);
    }
    return this;
  }

  os(t: number, ...processes: OsProcess[]): this {
    this.model.observeOs(this.id, { t, processes: [...unrelated, ps(LAUNCHER, 40, 'python3'), ...processes] });
    return this;
  }

  process(key: string): ProcessSnapshot {
    const found = this.model.session(this.id)?.process(key);
    assert.ok(found, `no process ${key}`);
    return found;
  }

  /** `name(key) pid · state · outcome · orphan · survivor` lines, indented by depth. */
  tree(): string {
    const session = this.model.session(this.id);
    assert.ok(session);
    const lines: string[] = [];
    const visit = (key: string | null, depth: number): void => {
      for (const child of session.children(key)) {
        const parts = [String(child.pid), child.state];
        if (child.exit && (child.exit.signal !== null || child.exit.exitcode !== null)) {
          parts.push(child.exit.signal ?? `exit ${child.exit.exitcode}`);
        }
        if (child.orphaned && child.state !== 'orphan') {
          parts.push('orphan');
        }
        if (processContext(session, child).survivor) {
          parts.push('survivor');
        }
        lines.push(`${'  '.repeat(depth)}${child.name}(${child.key}) ${parts.join(' · ')}`);
        visit(child.key, depth + 1);
      }
    };
    visit(null, 0);
    return lines.join('\n');
  }
}

/** A run whose launcher (50) started main (100). */
function started(): Run {
  return new Run().events(make.hello(LAUNCHER, 40, 'launcher'), make.hello(MAIN, LAUNCHER, 'main', { name: 'MainProcess' }));
}

describe('OS snapshots: processes the runtime cannot see', () => {
  it('adds a non-Python child under its parent, and calls it lost once it vanished without a record', () => {
    const run = started().os(10, ps(MAIN, LAUNCHER), ps(200, MAIN, 'sleep'));
    assert.equal(run.tree(), ['MainProcess(100) 100 · running', '  sleep(200) 200 · running'].join('\n'));
    const sleep = run.process('200');
    assert.equal(sleep.external, true);
    assert.equal(sleep.role, null);
    assert.deepEqual(sleep.os, { command: 'sleep', ppid: MAIN, zombie: false, startedAt: null, firstSeen: 10, vanishedAt: null });
    run.os(11, ps(MAIN, LAUNCHER));
    assert.equal(run.process('200').state, 'lost');
    assert.equal(run.process('200').os?.vanishedAt, 11);
    assert.deepEqual(run.process('200').exit?.reporters, ['collector']);
  });

  it('finds descendants at any depth, also when the OS lists a child before its parent', () => {
    const run = started().os(10, ps(300, 201, 'cat'), ps(MAIN, LAUNCHER), ps(201, MAIN, 'sh'));
    assert.equal(run.tree(), ['MainProcess(100) 100 · running', '  sh(201) 201 · running', '    cat(300) 300 · running'].join('\n'));
  });

  it('shows a process the OS lists before its hello, then the hello takes the same record over', () => {
    const run = new Run().events(make.hello(LAUNCHER, 40, 'launcher')).os(10, ps(MAIN, LAUNCHER));
    assert.equal(run.tree(), 'python3(100) 100 · running');
    assert.equal(run.process('100').external, true);
    run.events(make.hello(MAIN, LAUNCHER, 'main', { name: 'MainProcess' }));
    assert.equal(run.tree(), 'MainProcess(100) 100 · running');
    assert.equal(run.process('100').external, false);
    assert.equal(run.model.session(run.id)?.processCount, 1);
  });

  it('takes an OS-found child over when its parent reports starting it', () => {
    const run = started().os(10, ps(MAIN, LAUNCHER), ps(101, MAIN));
    run.events(make.created(MAIN, '100-1', { name: 'worker' }), make.started(MAIN, '100-1', 101));
    assert.equal(run.tree(), ['MainProcess(100) 100 · running', '  worker(101) 101 · running'].join('\n'));
    assert.equal(run.process('101').external, false);
    assert.equal(run.process('101').role, 'process');
  });

  it('uses a debug session\'s debuggee as the root', () => {
    const run = new Run();
    run.model.setDebuggee(run.id, 700);
    run.os(10, ps(690, 40, 'python3'), ps(700, 690), ps(701, 700, 'ls'));
    // The debuggee itself only shows once it says hello; its children show at once.
    assert.equal(run.tree(), 'ls(701) 701 · running');
    assert.equal(run.model.snapshot()[0].debuggeePid, 700);
  });

  it('without a known root, polls below the main processes that said hello', () => {
    const run = new Run().events(make.hello(700, 690, 'main', { name: 'MainProcess' })).os(10, ps(700, 690), ps(701, 700, 'ls'));
    assert.equal(run.tree(), ['MainProcess(700) 700 · running', '  ls(701) 701 · running'].join('\n'));
  });
});

describe('OS snapshots: zombies, lost and late records', () => {
  it('shows an ended child its parent has not reaped as a zombie, then as what its record says', () => {
    const run = started().events(make.created(MAIN, '100-1'), make.started(MAIN, '100-1', 101), make.hello(101, MAIN, 'process'));
    run.events(make.exitedSelf(101, 0));
    run.os(10, ps(MAIN, LAUNCHER), ps(101, MAIN, 'python3', 'Z'));
    assert.equal(run.process('101').state, 'zombie');
    assert.match(run.tree(), /Process-100-1\(101\) 101 · zombie · exit 0/);
    run.os(11, ps(MAIN, LAUNCHER));
    assert.equal(run.process('101').state, 'exited');
    run.events(make.exitedBy('parent', MAIN, 101, 0));
    assert.equal(run.process('101').state, 'exited');
  });

  it('shows a short-lived child that was never listed alive as a zombie (same parent)', () => {
    const run = started().events(make.hello(101, MAIN, 'process'), make.exitedSelf(101, 1, make.valueError));
    run.os(10, ps(MAIN, LAUNCHER), ps(101, MAIN, 'python3', 'Z+'));
    assert.equal(run.process('101').state, 'zombie');
    assert.equal(run.process('101').exit?.exception?.type, 'ValueError');
  });

  it('lets a real record supersede the "lost" of a vanished process, in either order', () => {
    const vanishedFirst = started().events(make.hello(101, MAIN, 'process')).os(10, ps(MAIN, LAUNCHER), ps(101, MAIN)).os(11, ps(MAIN, LAUNCHER));
    assert.equal(vanishedFirst.process('101').state, 'lost');
    vanishedFirst.events(make.exitedBy('parent', MAIN, 101, -9, 'SIGKILL'));
    const reportFirst = started().events(make.hello(101, MAIN, 'process')).os(10, ps(MAIN, LAUNCHER), ps(101, MAIN));
    reportFirst.events(make.exitedBy('parent', MAIN, 101, -9, 'SIGKILL')).os(11, ps(MAIN, LAUNCHER));
    for (const run of [vanishedFirst, reportFirst]) {
      const child = run.process('101');
      assert.equal(child.state, 'killed');
      assert.deepEqual(child.exit?.reporters, ['parent']);
      assert.equal(child.exit?.signal, 'SIGKILL');
    }
  });

  it('does not take a later process that reused an ended process\'s pid for it', () => {
    const run = started().events(make.hello(101, MAIN, 'process'), make.exitedSelf(101, 0), make.exitedBy('parent', MAIN, 101, 0));
    // Never listed while it ran; now pid 101 is a new, running child of main.
    run.os(10, ps(MAIN, LAUNCHER), ps(101, MAIN, 'gzip'));
    assert.equal(run.process('101').state, 'exited');
    assert.equal(run.process('101').os, null);
    assert.equal(run.process('101#2').name, 'gzip');
    assert.equal(run.process('101#2').state, 'running');
  });

  it('treats a vanished pid that reappears as a new process', () => {
    const run = started().os(10, ps(MAIN, LAUNCHER), ps(200, MAIN, 'sleep')).os(11, ps(MAIN, LAUNCHER)).os(12, ps(MAIN, LAUNCHER), ps(200, MAIN, 'tar'));
    assert.equal(run.process('200').state, 'lost');
    assert.equal(run.process('200#2').name, 'tar');
  });

  it('tells a later process with the same pid by its start time', () => {
    const since = (pid: number, ppid: number, command: string, startedAt: number): OsProcess => ({ ...ps(pid, ppid, command), startedAt });
    // Listed alive, then gone and replaced before the next look (same parent, same name, later start).
    const run = started().os(10, since(MAIN, LAUNCHER, 'python3', 5), since(200, MAIN, 'sleep', 9));
    run.os(30, since(MAIN, LAUNCHER, 'python3', 5), since(200, MAIN, 'sleep', 25));
    assert.equal(run.process('200').state, 'lost');
    assert.equal(run.process('200').os?.startedAt, 9);
    assert.equal(run.process('200#2').os?.startedAt, 25);
    // Never listed while the runtime knew it: a pid that started well after it is not it.
    run.events(make.hello(300, MAIN, 'process', { t: 21 }));
    run.os(40, since(MAIN, LAUNCHER, 'python3', 5), since(300, MAIN, 'python3', 35));
    assert.equal(run.process('300').os, null);
    assert.equal(run.process('300#2').external, true);
  });

  it('keeps a process that reported its exit but is still finishing as itself, not a new process', () => {
    // Seen in code-server: main sent its exit, and the next look still listed it (interpreter
    // shutdown, the launcher's tail) under the same parent. Its start time says it is the same
    // process; taking it for a new one added a "python3 · lost" row beside MainProcess.
    const since = (pid: number, ppid: number, command: string, startedAt: number): OsProcess => ({ ...ps(pid, ppid, command), startedAt });
    const run = started().events(make.exitedSelf(MAIN, 0, undefined, 1003));
    run.os(1004, since(MAIN, LAUNCHER, 'python3', 999));
    assert.equal(run.tree(), 'MainProcess(100) 100 · exited · exit 0');
    assert.equal(run.model.session(run.id)?.processCount, 1);
    run.os(1005);
    assert.equal(run.tree(), 'MainProcess(100) 100 · exited · exit 0');
  });

  it('notifies only when something a view shows changed', () => {
    const run = started().os(10, ps(MAIN, LAUNCHER), ps(200, MAIN, 'sleep'));
    const before = run.notifications;
    run.os(11, ps(MAIN, LAUNCHER, 'python3', 'R'), ps(200, MAIN, 'sleep', 'S+'));
    run.os(12, ps(MAIN, LAUNCHER), ps(200, MAIN, 'sleep'));
    assert.equal(run.notifications, before);
    assert.equal(run.model.recording(run.id)?.items.filter((item) => item instanceof OsObserved).length, 1, 'only the snapshot that changed something is recorded');
    run.os(13, ps(MAIN, LAUNCHER), ps(200, MAIN, 'sleep', 'Z'));
    assert.equal(run.notifications, before + 1);
  });
});

describe('OS snapshots: orphans and survivors', () => {
  /** main (100) → parent (101) → child (102); then main kills the parent. */
  function orphaned(): Run {
    const run = started().events(
      make.created(MAIN, '100-1', { name: 'parent' }),
      make.started(MAIN, '100-1', 101),
      make.hello(101, MAIN, 'process'),
      make.created(101, '101-1', { name: 'child' }),
      make.started(101, '101-1', 102),
      make.hello(102, 101, 'process'),
    );
    return run.os(10, ps(MAIN, LAUNCHER), ps(101, MAIN), ps(102, 101));
  }

  it('shows a child whose parent was killed as an orphan while it runs, and remembers it after', () => {
    const run = orphaned().events(make.exitedBy('parent', MAIN, 101, -9, 'SIGKILL', 20));
    assert.equal(run.process('102').state, 'orphan');
    assert.equal(run.process('102').orphaned, true);
    // The OS moves it to another parent; mpscope keeps it where its history put it.
    run.os(21, ps(MAIN, LAUNCHER), ps(102, 1));
    assert.equal(run.tree(), [
      'MainProcess(100) 100 · running',
      '  parent(101) 101 · killed · SIGKILL',
      '    child(102) 102 · orphan',
    ].join('\n'));
    run.events(make.exitedSelf(102, 0, undefined, 25));
    assert.equal(run.process('102').state, 'exited');
    assert.match(run.tree(), /child\(102\) 102 · exited · exit 0 · orphan/);
  });

  it('does not call a child an orphan when it ended before its parent, whatever order the reports come in', () => {
    const run = orphaned().events(make.exitedBy('parent', MAIN, 101, 0, undefined, 30), make.exitedSelf(102, 0, undefined, 28));
    assert.equal(run.process('102').orphaned, false);
    assert.equal(run.process('102').state, 'exited');
  });

  it('finds the non-Python children of an orphan after the OS reparented it', () => {
    const run = orphaned().events(make.exitedBy('parent', MAIN, 101, -9, 'SIGKILL', 20));
    run.os(21, ps(MAIN, LAUNCHER), ps(102, 1), ps(300, 102, 'sleep'));
    assert.match(run.tree(), /\n      sleep\(300\) 300 · running$/);
  });

  it('lists the processes still alive after the session ended as survivors, zombies excluded', () => {
    const run = orphaned().events(make.exitedBy('parent', MAIN, 101, -9, 'SIGKILL', 20)).os(21, ps(MAIN, LAUNCHER), ps(102, 1), ps(300, 102, 'sleep'));
    const session = (): NonNullable<ReturnType<Model['session']>> => {
      const found = run.model.session(run.id);
      assert.ok(found);
      return found;
    };
    assert.deepEqual(session().survivors(), [], 'no survivors while the session runs');
    run.events(make.exitedBy('launcher', LAUNCHER, MAIN, 0, undefined, 22));
    run.model.endSession(run.id, 23);
    run.os(24, ps(102, 1), ps(300, 102, 'sleep', 'Z'));
    assert.deepEqual(session().survivors().map((p) => p.key), ['102']);
    assert.deepEqual(run.model.snapshot()[0].survivors, ['102']);
    assert.match(sessionDescription(session()), /ended · 4 processes · 1 survivor$/);
    assert.match(run.tree(), /child\(102\) 102 · orphan · survivor/);
    // What the Processes view says about it.
    const child = run.process('102');
    assert.match(processDescription(child, processContext(session(), child)), /^102 · orphan\b.* · survivor$/);
    assert.match(processTooltip(child, processContext(session(), child)), /Orphan: its parent ended while it still runs[\s\S]*Survivor: it still runs after its session ended/);
    const sleep = run.process('300');
    assert.match(processDescription(sleep, processContext(session(), sleep)), /^300 · zombie\b/);
    assert.match(processTooltip(sleep, processContext(session(), sleep)), /Not reporting to mpscope[\s\S]*Zombie: it has ended, but its parent \(pid 102\) has not reaped it yet/);
    run.os(25, ps(300, 102, 'sleep', 'Z'));
    assert.deepEqual(session().survivors(), []);
    assert.equal(run.process('102').state, 'lost');
  });

  it('counts survivors only from a look after the end (what ran just before it may be gone)', () => {
    const run = orphaned();
    const notified = run.notifications;
    run.model.endSession(run.id, 30);
    assert.deepEqual(run.model.session(run.id)?.survivors(), [], 'listed at 10, before the end: not known to survive');
    // A look that changes nothing about the processes still changes what the session says.
    run.os(31, ps(MAIN, LAUNCHER), ps(101, MAIN), ps(102, 101));
    assert.deepEqual(run.model.session(run.id)?.survivors().map((p) => p.pid), [100, 101, 102]);
    assert.equal(run.notifications, notified + 2);
    assert.equal(run.model.recording(run.id)?.items.filter((item) => item instanceof OsObserved).length, 1, 'nothing new to record');
  });

  it('records mpscope\'s own kill of a survivor as killed, superseded by anyone who knows better', () => {
    const run = orphaned();
    run.events(make.exitedBy('collector', process.pid, 102, -9, 'SIGKILL', 40));
    assert.equal(run.process('102').state, 'killed');
    assert.equal(run.process('102').exit?.signal, 'SIGKILL');
    run.events(make.exitedBy('parent', 101, 102, 3, undefined, 41));
    assert.equal(run.process('102').state, 'failed');
    assert.deepEqual(run.process('102').exit?.reporters, ['parent']);
  });
});
