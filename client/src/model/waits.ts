// Long waits: a put, get or join on a queue, a send or receive on a pipe, an acquire or wait on a
// lock, that took longer than the runtime's threshold (default 1 s). The runtime reports each
// when it ends. The model keeps the latest per object (who waited) and per process (what it
// waited for), which is what a hang or a slow pipeline looks like from outside.
import type { Site, WaitOutcome } from '../protocol/events';

/** What a process can wait on for long. */
export type WaitedKind = 'queue' | 'pipe' | 'sync';

export interface WaitSnapshot {
  /** What was waited on. */
  readonly object: { readonly kind: WaitedKind; readonly id: string };
  /** The waiting process (null when the session could not place it). */
  readonly key: string | null;
  readonly pid: number;
  /** put, get, join (queues); send, recv (pipes); acquire, wait (locks and the like). */
  readonly op: string;
  /** When the wait began. */
  readonly since: number;
  /** Seconds it lasted. */
  readonly waited: number;
  readonly outcome: WaitOutcome | null;
  /** The process holding the lock when the wait began, when known. */
  readonly holderPid: number | null;
  /** The user's call that waited. */
  readonly site: Site | null;
}

export const MAX_WAITS_PER_OBJECT = 50;
export const MAX_WAITS_PER_PROCESS = 20;

export function copyWait(wait: WaitSnapshot): WaitSnapshot {
  return { ...wait, object: { ...wait.object }, site: wait.site && { ...wait.site } };
}

/** The fields every kind of long-wait event has (`queue.blocked`, `pipe.blocked`, `sync.wait`). */
export interface WaitEvent {
  readonly pid: number;
  readonly op: string;
  readonly since: number;
  readonly waited: number;
  readonly outcome?: WaitOutcome;
  readonly holder_pid?: number;
  readonly site?: Site;
}

/** The snapshot of one long wait on `object`, by the process the session knows as `key`. */
export function waitFromEvent(object: WaitSnapshot['object'], event: WaitEvent, key: string | null): WaitSnapshot {
  return {
    object: { ...object },
    key,
    pid: event.pid,
    op: event.op,
    since: event.since,
    waited: event.waited,
    outcome: event.outcome ?? null,
    holderPid: event.holder_pid ?? null,
    site: event.site ? { ...event.site } : null,
  };
}
