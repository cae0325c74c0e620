// What a session received, in the order it arrived: every event, every closing of a process's
// stream, and what the OS process list and the debug adapter added. "Save Session" writes it out and "Open Session" feeds it back, so a replay
// goes through exactly the calls the live session went through. It is bounded: past the limits
// the recording stops (the model itself goes on) and remembers how much it missed, so a saved
// file can say it is incomplete instead of silently replaying something else.
import type { MpscopeEvent } from '../protocol/events';
import type { OsSnapshot } from './osSnapshot';

/** The collector saw the stream of `pid` close at `t` (not an event: nothing was sent). */
export class StreamClosing {
  constructor(
    readonly pid: number,
    readonly t: number,
  ) {}
}

/** A snapshot of the OS process list that changed the session (only the entries that mattered). */
export class OsObserved {
  constructor(readonly snapshot: OsSnapshot) {}
}

/** The debug adapter named the debuggee's pid. */
export class DebuggeeNamed {
  constructor(readonly pid: number) {}
}

export type RecordedItem = MpscopeEvent | StreamClosing | OsObserved | DebuggeeNamed;

export function isStreamClosing(item: RecordedItem): item is StreamClosing {
  return item instanceof StreamClosing;
}

/** Events are plain objects; the collector's own facts are instances of the classes above. */
export function isEvent(item: RecordedItem): item is MpscopeEvent {
  return !(item instanceof StreamClosing || item instanceof OsObserved || item instanceof DebuggeeNamed);
}

export interface RecordingLimits {
  /** Events and closings kept per session. */
  readonly maxItems: number;
  /** Rough upper bound of the memory the kept items hold, in bytes (see `approximateSize`). */
  readonly maxBytes: number;
}

// A run that needs more than this is a long soak test; hot paths (task start/end, queue traffic)
// reach the collector as counters, so ordinary runs stay far below.
export const DEFAULT_RECORDING_LIMITS: RecordingLimits = {
  maxItems: 200_000,
  maxBytes: 64 * 1024 * 1024,
};

/** Per-object overhead the estimate charges for every kept item (measured: see the report). */
const ITEM_OVERHEAD_BYTES = 320;

export class SessionRecording {
  private readonly kept: RecordedItem[] = [];
  private keptBytes = 0;
  /** Items that arrived after a limit was reached. */
  private missed = 0;

  constructor(private readonly limits: RecordingLimits = DEFAULT_RECORDING_LIMITS) {}

  event(event: MpscopeEvent): void {
    this.keep(event, ITEM_OVERHEAD_BYTES + approximateSize(event));
  }

  streamClosed(pid: number, t: number): void {
    this.keep(new StreamClosing(pid, t), ITEM_OVERHEAD_BYTES);
  }

  osObserved(snapshot: OsSnapshot): void {
    let bytes = ITEM_OVERHEAD_BYTES;
    for (const entry of snapshot.processes) {
      bytes += 64 + entry.command.length * 2;
    }
    this.keep(new OsObserved(snapshot), bytes);
  }

  debuggee(pid: number): void {
    this.keep(new DebuggeeNamed(pid), ITEM_OVERHEAD_BYTES);
  }

  /** Everything kept, in arrival order (live: do not change). */
  get items(): readonly RecordedItem[] {
    return this.kept;
  }

  /** Items that were not kept because a limit was reached; 0 when the recording is complete. */
  get dropped(): number {
    return this.missed;
  }

  get complete(): boolean {
    return this.missed === 0;
  }

  private keep(item: RecordedItem, bytes: number): void {
    // Once something is missing, later items could only replay into a different state.
    if (this.missed > 0 || this.kept.length >= this.limits.maxItems || this.keptBytes + bytes > this.limits.maxBytes) {
      this.missed++;
      return;
    }
    this.kept.push(item);
    this.keptBytes += bytes;
  }
}

/**
 * A cheap estimate of the string data an event holds, counting only the fields that can be large
 * (tracebacks, messages, argument reprs, argv): walking every event would cost the ingest rate.
 */
export function approximateSize(event: MpscopeEvent): number {
  const fields = event as unknown as Readonly<Record<string, unknown>>;
  let size = 0;
  for (const name of ['args', 'message', 'argv', 'exception', 'stacks', 'traceback'] as const) {
    size += textSize(fields[name], 2);
  }
  return size;
}

function textSize(value: unknown, depth: number): number {
  if (typeof value === 'string') {
    return value.length * 2;
  }
  if (depth === 0 || value === null || typeof value !== 'object') {
    return 0;
  }
  let size = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    size += textSize(item, depth - 1);
  }
  return size;
}
