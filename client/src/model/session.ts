// One session: one run of a program (a "Run Python File" terminal, a debug session, or a saved
// file). It dispatches each event kind to the table that owns that part of the state; pools,
// tasks and queues get tables of their own next to the process table.
import type { MpscopeEvent } from '../protocol/events';
import type { ChangeRecorder } from './changes';
import { ProcessTable } from './processTable';
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
  events = 0;
  ignoredEvents = 0;
  /** Runtime errors from streams that are not processes of the tree (the launcher). */
  readonly runtimeErrors: RuntimeErrorInfo[] = [];
  readonly processes: ProcessTable;

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
        }
        return;
      case 'process.created':
        this.processes.created(event);
        return;
      case 'process.started':
        this.processes.started(event);
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
      default: {
        // A kind added to the protocol types without a handler here fails to compile.
        const unhandled: never = event;
        return unhandled;
      }
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
      processes: [...this.processes.all()].map((record) => record.toSnapshot()),
      events: this.events,
      ignoredEvents: this.ignoredEvents,
      runtimeErrors: this.runtimeErrors.map((error) => ({ ...error })),
    };
  }
}
