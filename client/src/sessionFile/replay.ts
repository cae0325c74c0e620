// Feeds the lines of a session file into the model as a new, finished session of kind "replay".
// Events go through Model.ingestAll, closings through Model.streamClosed, OS snapshots through
// Model.observeOs and the debuggee through Model.setDebuggee: the calls the live session made, in
// the same order, so the replayed state is the state that was saved.
import type { Model } from '../model/model';
import type { OsSnapshot } from '../model/osSnapshot';
import type { MpscopeEvent } from '../protocol/events';
import type { SessionHeader } from './format';
import type { ParsedLine } from './parser';

export interface ReplayOptions {
  /** The file's name, for the session's label. */
  readonly fileName: string;
  /** Events applied per model call (one change notification each). */
  readonly batchSize?: number;
}

export interface ReplaySummary {
  /** The new session; undefined when the file held no event at all. */
  readonly sessionId: string | undefined;
  readonly label: string;
  readonly events: number;
  readonly closings: number;
  readonly processes: number;
  /** The file came from "Save Session" (it has a header), not from the terminal launcher. */
  readonly saved: boolean;
  /** Items the saving session could not keep (its recording limits were reached). */
  readonly droppedWhenSaved: number;
}

/** Items held back until the program's name is known (it names the session). */
const MAX_PENDING = 64;
const DEFAULT_BATCH = 2_000;

type Pending =
  | { readonly event: MpscopeEvent }
  | { readonly closed: number; readonly t: number }
  | { readonly os: OsSnapshot }
  | { readonly debuggee: number };

export class SessionReplay {
  private sessionId: string | undefined;
  private header: SessionHeader | undefined;
  private program: string | undefined;
  private pending: Pending[] = [];
  private batch: MpscopeEvent[] = [];
  private latest = Number.NEGATIVE_INFINITY;
  private eventCount = 0;
  private closingCount = 0;
  private readonly batchSize: number;

  constructor(
    private readonly model: Model,
    private readonly options: ReplayOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
  }

  accept(line: ParsedLine | undefined): void {
    if (!line) {
      return;
    }
    switch (line.type) {
      case 'header':
        // The parser passes on only the first header; it names and times the session.
        this.header = line.header;
        return;
      case 'event':
        this.noteTime(line.event.t);
        this.eventCount++;
        if (this.sessionId === undefined) {
          this.hold({ event: line.event });
          return;
        }
        this.batch.push(line.event);
        if (this.batch.length >= this.batchSize) {
          this.flush();
        }
        return;
      case 'closed':
        this.noteTime(line.t);
        this.closingCount++;
        if (this.sessionId === undefined) {
          this.hold({ closed: line.pid, t: line.t });
          return;
        }
        this.flush();
        this.model.streamClosed(this.sessionId, line.pid, line.t);
        return;
      case 'os':
        this.noteTime(line.snapshot.t);
        if (this.sessionId === undefined) {
          this.hold({ os: line.snapshot });
          return;
        }
        this.flush();
        this.model.observeOs(this.sessionId, line.snapshot);
        return;
      case 'debuggee':
        if (this.sessionId === undefined) {
          this.hold({ debuggee: line.pid });
          return;
        }
        this.flush();
        this.model.setDebuggee(this.sessionId, line.pid);
        return;
      case 'skipped':
        return;
    }
  }

  /** Applies the events accepted so far (call between chunks of a large file). */
  flush(): void {
    if (this.sessionId !== undefined && this.batch.length > 0) {
      const batch = this.batch;
      this.batch = [];
      this.model.ingestAll(this.sessionId, batch);
    }
  }

  /** Ends the session; returns what was replayed. */
  finish(): ReplaySummary {
    if (this.sessionId === undefined && this.pending.length > 0) {
      this.open();
    }
    this.flush();
    const sessionId = this.sessionId;
    if (sessionId !== undefined) {
      const end = this.header?.endedAt ?? this.latest;
      if (!this.header) {
        // A launcher's file has no closings: the program is over, so every stream is closed.
        // A process that nobody reported the end of becomes "lost", as it would live.
        const open = [...(this.model.session(sessionId)?.allProcesses() ?? [])].filter((process) => process.connected);
        for (const process of open) {
          this.model.streamClosed(sessionId, process.pid, end);
        }
      }
      this.model.endSession(sessionId, end);
    }
    return {
      sessionId,
      label: this.label(),
      events: this.eventCount,
      closings: this.closingCount,
      processes: sessionId === undefined ? 0 : this.model.session(sessionId)?.processCount ?? 0,
      saved: this.header !== undefined,
      droppedWhenSaved: this.header?.dropped ?? 0,
    };
  }

  private hold(item: Pending): void {
    this.pending.push(item);
    if ('event' in item && item.event.kind === 'hello' && item.event.role === 'main') {
      this.program = programName(item.event.argv);
    }
    if (this.header || this.program !== undefined || this.pending.length >= MAX_PENDING) {
      this.open();
    }
  }

  private open(): void {
    const pending = this.pending;
    this.pending = [];
    const startedAt = this.header?.startedAt ?? Math.min(...pending.map(pendingTime));
    const sessionId = this.model.openSession({ label: this.label(), kind: 'replay', startedAt });
    this.sessionId = sessionId;
    for (const item of pending) {
      if ('event' in item) {
        this.batch.push(item.event);
        continue;
      }
      this.flush();
      if ('closed' in item) {
        this.model.streamClosed(sessionId, item.closed, item.t);
      } else if ('os' in item) {
        this.model.observeOs(sessionId, item.os);
      } else {
        this.model.setDebuggee(sessionId, item.debuggee);
      }
    }
  }

  private label(): string {
    const name = this.header?.label ?? this.program;
    return name === undefined || name === this.options.fileName ? this.options.fileName : `${name} (${this.options.fileName})`;
  }

  private noteTime(t: number): void {
    if (t > this.latest) {
      this.latest = t;
    }
  }
}

function pendingTime(item: Pending): number {
  if ('event' in item) {
    return item.event.t;
  }
  if ('closed' in item) {
    return item.t;
  }
  return 'os' in item ? item.os.t : Number.POSITIVE_INFINITY;
}

/** The script the main process ran: `crashing_child.py` from `["…/crashing_child.py", …]`. */
function programName(argv: readonly string[] | undefined): string | undefined {
  const first = argv?.[0];
  if (!first || first === '-c' || first === '-m') {
    return argv && first === '-m' && argv[1] ? `-m ${argv[1]}` : undefined;
  }
  const base = first.split(/[\\/]/).pop();
  return base ? base.slice(0, 256) : undefined;
}
