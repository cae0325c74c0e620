// One session: one run of a program (a "Run Python File" terminal, a debug session, or a saved
// file). It dispatches each event kind to the table that owns that part of the state; pools,
// tasks and queues get tables of their own next to the process table.
import type { MpscopeEvent } from '../protocol/events';
import type { ChangeRecorder } from './changes';
import { aliveInOs, OsSnapshot } from './osSnapshot';
import { ProcessTable } from './processTable';
import { SessionObjects, SessionObjectsView } from './sessionObjects';
import type { SignalTable } from './signals';
import type { ProcessSnapshot, RuntimeErrorInfo, SessionKind, SessionSnapshot } from './types';

/** Read access to a session for views: records are live (not copies) and must not be changed. */
export interface SessionView {
  readonly id: string;
  readonly label: string;
  readonly kind: SessionKind;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly launcherPid: number | null;
  readonly debuggeePid: number | null;
  readonly events: number;
  readonly ignoredEvents: number;
  readonly runtimeErrors: readonly RuntimeErrorInfo[];
  readonly processCount: number;
  process(key: string): ProcessSnapshot | undefined;
  processByPid(pid: number): ProcessSnapshot | undefined;
  /** Children of a process, or the session's roots for `null`. */
  children(parentKey: string | null): readonly ProcessSnapshot[];
  childCount(parentKey: string | null): number;
  allProcesses(): Iterable<ProcessSnapshot>;
  /** Processes whose descendants belong to the session in the OS process list. */
  osRoots(): number[];
  /** After the session ended: processes the OS still lists alive (not zombies); else none. */
  survivors(): ProcessSnapshot[];
  /** Pools, tasks, stack dumps (see sessionObjects.ts). */
  readonly objects: SessionObjectsView;
}

export interface SessionOptions {
  readonly id: string;
  readonly label: string;
  readonly kind: SessionKind;
  readonly startedAt: number;
}

const MAX_SESSION_RUNTIME_ERRORS = 50;

export class Session implements SessionView {
  readonly id: string;
  label: string;
  readonly kind: SessionKind;
  readonly startedAt: number;
  endedAt: number | null = null;
  launcherPid: number | null = null;
  debuggeePid: number | null = null;
  /** When the OS process list was last read for this session. */
  private osLookedAt: number | null = null;
  events = 0;
  ignoredEvents = 0;
  /** Runtime errors from streams that are not processes of the tree (the launcher). */
  readonly runtimeErrors: RuntimeErrorInfo[] = [];
  readonly processes: ProcessTable;
  readonly objects: SessionObjects;

  constructor(options: SessionOptions, private readonly changes: ChangeRecorder, signals: SignalTable | undefined) {
    this.id = options.id;
    this.label = options.label;
    this.kind = options.kind;
    this.startedAt = options.startedAt;
    this.processes = new ProcessTable({
      sessionId: this.id,
      changes,
      signals,
      isLauncher: (pid) => pid === this.launcherPid,
      ignored: () => {
        this.ignoredEvents++;
      },
    });
    this.objects = new SessionObjects({
      sessionId: this.id,
      changes,
      processByPid: (pid) => this.processes.byPid(pid),
      processByKey: (key) => this.processes.get(key),
    });
  }

  get processCount(): number {
    return this.processes.size;
  }

  process(key: string): ProcessSnapshot | undefined {
    return this.processes.get(key);
  }

  processByPid(pid: number): ProcessSnapshot | undefined {
    return this.processes.byPid(pid);
  }

  children(parentKey: string | null): readonly ProcessSnapshot[] {
    return this.processes.childrenOf(parentKey);
  }

  childCount(parentKey: string | null): number {
    return this.processes.childCount(parentKey);
  }

  allProcesses(): Iterable<ProcessSnapshot> {
    return this.processes.all();
  }

  osRoots(): number[] {
    const roots = [this.launcherPid, this.debuggeePid].filter((pid): pid is number => pid !== null);
    if (roots.length > 0) {
      return roots;
    }
    // Neither is known yet: the main processes that said hello stand in.
    return this.processes.childrenOf(null).filter((record) => record.role === 'main').map((record) => record.pid);
  }

  survivors(): ProcessSnapshot[] {
    // A replay shows what the OS said back then: nothing of it is running now. A live session's
    // processes survive it only when the OS listed them after it ended, not just before.
    if (this.endedAt === null || this.kind === 'replay' || this.osLookedAt === null || this.osLookedAt < this.endedAt) {
      return [];
    }
    return [...this.processes.all()].filter((record) => aliveInOs(record) && this.processes.byPid(record.pid) === record);
  }

  /** The debug adapter said which process is the debuggee. */
  setDebuggee(pid: number): void {
    if (this.debuggeePid !== pid) {
      this.debuggeePid = pid;
      this.changes.sessionChanged(this.id);
    }
  }

  /**
   * A snapshot of the OS process list. Returns the part of it that mattered when it changed
   * anything (what a recording keeps), else undefined.
   */
  observeOs(snapshot: OsSnapshot): { changed: boolean; kept: OsSnapshot | undefined } {
    const survivorsBefore = this.survivors().map((process) => process.key).join();
    const { changed, relevant } = this.processes.observeOs(snapshot, this.osRoots());
    this.osLookedAt = Math.max(this.osLookedAt ?? snapshot.t, snapshot.t);
    const survivorsChanged = this.survivors().map((process) => process.key).join() !== survivorsBefore;
    if (survivorsChanged) {
      this.changes.sessionChanged(this.id);
      for (const record of this.processes.all()) {
        if (record.listedByOs) {
          this.changes.processChanged(this.id, record.key); // their "survivor" mark
        }
      }
    }
    return { changed: changed || survivorsChanged, kept: changed ? { t: snapshot.t, processes: relevant } : undefined };
  }

  apply(event: MpscopeEvent): void {
    this.events++;
    switch (event.kind) {
      case 'hello':
        if (event.role === 'launcher') {
          this.launcherPid = event.pid;
          this.processes.launcherKnown(event.pid);
          this.changes.sessionChanged(this.id);
        } else {
          this.processes.hello(event);
          this.objects.hello(event);
        }
        return;
      case 'process.created':
        this.processes.created(event);
        return;
      case 'process.started':
        this.processes.started(event);
        if (!this.objects.processStarted(event)) {
          this.ignoredEvents++;
        }
        return;
      case 'process.joined':
        this.processes.joined(event);
        return;
      case 'process.signalled':
        this.processes.signalled(event);
        return;
      case 'process.closed':
        this.processes.closed(event);
        return;
      case 'process.exited':
        this.processes.exited(event);
        return;
      case 'runtime.error':
        if (!this.processes.runtimeError(event) && this.runtimeErrors.length < MAX_SESSION_RUNTIME_ERRORS) {
          this.runtimeErrors.push({ where: event.where, message: event.message, t: event.t });
          this.changes.sessionChanged(this.id);
        }
        return;
      default:
        // Pools, tasks, stacks, queues, pipes, locks…: the session's other tables (their switch is exhaustive).
        if (!this.objects.apply(event)) {
          this.ignoredEvents++;
        }
        return;
    }
  }

  /** A process's stream closed; the launcher's closing ends the session. */
  streamClosed(pid: number, t: number): void {
    if (pid === this.launcherPid) {
      this.end(t);
      return;
    }
    this.processes.streamClosed(pid, t);
  }

  end(t: number): void {
    if (this.endedAt === null) {
      this.endedAt = t;
      this.changes.sessionChanged(this.id);
    }
  }

  toSnapshot(): SessionSnapshot {
    return {
      id: this.id,
      label: this.label,
      kind: this.kind,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      launcherPid: this.launcherPid,
      debuggeePid: this.debuggeePid,
      processes: [...this.processes.all()].map((record) => record.toSnapshot()),
      events: this.events,
      ignoredEvents: this.ignoredEvents,
      runtimeErrors: this.runtimeErrors.map((error) => ({ ...error })),
      survivors: this.survivors().map((process) => process.key),
      pools: this.objects.snapshotPools(),
      tasks: this.objects.snapshotTasks(),
      stacks: this.objects.snapshotStacks(),
      queues: this.objects.snapshotQueues(),
      pipes: this.objects.snapshotPipes(),
      syncs: this.objects.snapshotSyncs(),
      managers: this.objects.snapshotManagers(),
      shared: this.objects.snapshotShared(),
      waits: this.objects.snapshotWaits(),
    };
  }
}
