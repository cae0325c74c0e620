// The model: every session and what its events say, with no knowledge of VS Code. Events and
// stream closings go in; read-only views, plain snapshots and change notifications come out.
import type { MpscopeEvent } from '../protocol/events';
import { ChangeRecorder, ChangeTracker } from './changes';
import type { OsSnapshot } from './osSnapshot';
import { RecordingLimits, SessionRecording } from './recording';
import { Session, SessionView } from './session';
import type { SignalTable } from './signals';
import type { SessionKind, SessionSnapshot } from './types';

export interface ModelOptions {
  /** Signal names for negative exit codes (default: the signals common to Linux and macOS). */
  readonly signals?: SignalTable;
  /** Seconds since the epoch, for sessions opened without a time (tests make it fixed). */
  readonly clock?: () => number;
  /** Bounds of each session's recording (what "Save Session" writes); see recording.ts. */
  readonly recordingLimits?: RecordingLimits;
}

export interface NewSession {
  readonly label: string;
  readonly kind?: SessionKind;
  readonly startedAt?: number;
}

export type Unsubscribe = () => void;

export class Model {
  private readonly sessionsById = new Map<string, Session>();
  /** Every event and stream closing of each session, in arrival order (bounded). */
  private readonly recordings = new Map<string, SessionRecording>();
  private readonly changes = new ChangeRecorder();
  private readonly listeners = new Set<() => void>();
  private readonly clock: () => number;
  private nextSessionNumber = 1;

  constructor(private readonly options: ModelOptions = {}) {
    this.clock = options.clock ?? (() => Date.now() / 1000);
  }

  /** Starts a session and returns its id (`s1`, `s2`, …: never reused). */
  openSession(init: NewSession): string {
    const id = `s${this.nextSessionNumber++}`;
    const session = new Session(
      { id, label: init.label, kind: init.kind ?? 'run', startedAt: init.startedAt ?? this.clock() },
      this.changes,
      this.options.signals,
    );
    this.sessionsById.set(id, session);
    this.recordings.set(id, new SessionRecording(this.options.recordingLimits));
    this.changes.sessionListChanged();
    this.notify();
    return id;
  }

  /** Applies one validated event. Returns false when the session does not exist (any more). */
  ingest(sessionId: string, event: MpscopeEvent): boolean {
    const session = this.sessionsById.get(sessionId);
    if (!session) {
      return false;
    }
    this.recordings.get(sessionId)?.event(event);
    session.apply(event);
    this.notify();
    return true;
  }

  /** Applies many events of one session with a single notification (replays, batches). */
  ingestAll(sessionId: string, events: Iterable<MpscopeEvent>): boolean {
    const session = this.sessionsById.get(sessionId);
    if (!session) {
      return false;
    }
    const recording = this.recordings.get(sessionId);
    for (const event of events) {
      recording?.event(event);
      session.apply(event);
    }
    this.notify();
    return true;
  }

  /** A process's event stream closed (the collector saw the socket close). */
  streamClosed(sessionId: string, pid: number, t: number = this.clock()): void {
    const session = this.sessionsById.get(sessionId);
    if (session) {
      this.recordings.get(sessionId)?.streamClosed(pid, t);
      session.streamClosed(pid, t);
      this.notify();
    }
  }

  /**
   * What the OS process list said at one moment (see osSnapshot.ts). A snapshot that changed
   * something is recorded (the part of it that mattered), so a replay comes to the same state.
   */
  observeOs(sessionId: string, snapshot: OsSnapshot): void {
    const session = this.sessionsById.get(sessionId);
    const outcome = session?.observeOs(snapshot);
    if (outcome?.kept) {
      this.recordings.get(sessionId)?.osObserved(outcome.kept);
    }
    if (outcome?.changed) {
      this.notify();
    }
  }

  /** The debug adapter reported the debuggee's pid (the root of a debug session's processes). */
  setDebuggee(sessionId: string, pid: number): void {
    const session = this.sessionsById.get(sessionId);
    if (session && session.debuggeePid !== pid) {
      this.recordings.get(sessionId)?.debuggee(pid);
      session.setDebuggee(pid);
      this.notify();
    }
  }

  endSession(sessionId: string, t: number = this.clock()): void {
    const session = this.sessionsById.get(sessionId);
    if (session && session.endedAt === null) {
      session.end(t);
      this.notify();
    }
  }

  removeSession(sessionId: string): boolean {
    const removed = this.sessionsById.delete(sessionId);
    this.recordings.delete(sessionId);
    if (removed) {
      this.changes.sessionListChanged();
      this.notify();
    }
    return removed;
  }

  /** Sessions, oldest first. */
  sessions(): SessionView[] {
    return [...this.sessionsById.values()];
  }

  session(sessionId: string): SessionView | undefined {
    return this.sessionsById.get(sessionId);
  }

  /** What the session received, in order, for saving it (undefined for an unknown session). */
  recording(sessionId: string): SessionRecording | undefined {
    return this.recordings.get(sessionId);
  }

  /** Every session as plain JSON-compatible objects (copies), oldest first. */
  snapshot(): SessionSnapshot[] {
    return [...this.sessionsById.values()].map((session) => session.toSnapshot());
  }

  /** Called after every change; listeners must be cheap (schedule work, don't do it). */
  onDidChange(listener: () => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A consumer's own record of what changed since it last looked. */
  createChangeTracker(): ChangeTracker {
    return this.changes.createTracker();
  }

  private notify(): void {
    let failure: unknown;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) {
      throw failure;
    }
  }
}
