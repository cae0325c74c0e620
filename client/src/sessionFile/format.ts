// The saved-session file (`.jsonl`), as docs/session-files.md describes it: UTF-8 JSON lines.
// Most lines are protocol events exactly as the runtime sends them (the format of
// `python -m mpscope run --output`); a saved session adds a few lines of its own, marked by an
// `mpscope` field and no `kind`, for what the collector knew that no event carries.
import type { SessionKind } from '../model/types';

/** Version of the lines this file adds to the event stream (not the protocol version). */
export const SESSION_FILE_FORMAT = 1;

/** First line of a file saved by the extension. */
export interface SessionHeader {
  readonly mpscope: 'session';
  readonly format: number;
  readonly label: string;
  /** How the saved session came to be (`kind` is left to events: annotation lines have none). */
  readonly sessionKind: SessionKind;
  /** Seconds since the epoch, as in the events. */
  readonly startedAt: number;
  /** Null when the session was still running when it was saved. */
  readonly endedAt: number | null;
  readonly savedAt: number;
  /** Items (events and stream closings) that follow. */
  readonly items: number;
  /** Items the recording did not keep (limits reached): the file is incomplete when > 0. */
  readonly dropped: number;
}

/** The collector saw a process's stream close (no event is sent for this). */
export interface StreamClosedLine {
  readonly mpscope: 'stream.closed';
  readonly pid: number;
  readonly t: number;
}

/**
 * A snapshot of the OS process list that changed the session: only the processes that mattered,
 * as `[pid, ppid, stat, command, startedAt]` (startedAt null when unknown; see model/osSnapshot.ts).
 */
export interface OsSnapshotLine {
  readonly mpscope: 'os.snapshot';
  readonly t: number;
  readonly processes: ReadonlyArray<readonly [number, number, string, string, number | null]>;
}

/** A debug session's adapter named the debuggee (the root of the session's processes). */
export interface DebuggeeLine {
  readonly mpscope: 'debuggee';
  readonly pid: number;
}

/**
 * Tokens authenticate a live stream; a file must not carry them. The schema wants at least 16
 * characters, so a fixed placeholder of that length takes the token's place.
 */
export const REDACTED_TOKEN = 'mpscope:redacted';

export const SESSION_FILE_EXTENSION = 'jsonl';
