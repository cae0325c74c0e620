// Turns the model's accumulated changes into the smallest set of tree elements to refresh, and
// paces refreshes so a program emitting thousands of events per second costs the UI at most a
// few redraws a second. Free of `vscode` so both parts are unit-tested.
import type { ModelChanges } from '../model/changes';

export type RefreshPlan =
  /** Re-read everything from the root. */
  | { readonly kind: 'all' }
  | {
      readonly kind: 'some';
      /** Sessions whose node and subtree must be re-read. */
      readonly sessions: readonly string[];
      /** Single process nodes whose own item changed. */
      readonly processes: ReadonlyArray<{ readonly sessionId: string; readonly key: string }>;
      /** Single nodes of other things (pools, queues: see objectIds.ts) whose own item changed. */
      readonly objects: ReadonlyArray<{ readonly sessionId: string; readonly id: string }>;
    }
  | { readonly kind: 'none' };

/** Past this many changed processes (or other things) in one session, refreshing the session is cheaper. */
export const MAX_SINGLE_REFRESHES = 100;

export function planRefresh(changes: ModelChanges, maxSingles: number = MAX_SINGLE_REFRESHES): RefreshPlan {
  if (changes.sessionList) {
    return { kind: 'all' };
  }
  const sessions = new Set<string>([...changes.structure, ...changes.sessions]);
  const processes: Array<{ sessionId: string; key: string }> = [];
  for (const [sessionId, keys] of changes.processes) {
    if (keys.size + (changes.objects.get(sessionId)?.size ?? 0) > maxSingles) {
      sessions.add(sessionId);
    }
  }
  for (const [sessionId, ids] of changes.objects) {
    if (ids.size > maxSingles) {
      sessions.add(sessionId);
    }
  }
  for (const [sessionId, keys] of changes.processes) {
    if (!sessions.has(sessionId)) {
      for (const key of keys) {
        processes.push({ sessionId, key });
      }
    }
  }
  const objects: Array<{ sessionId: string; id: string }> = [];
  for (const [sessionId, ids] of changes.objects) {
    if (!sessions.has(sessionId)) {
      for (const id of ids) {
        objects.push({ sessionId, id });
      }
    }
  }
  if (sessions.size === 0 && processes.length === 0 && objects.length === 0) {
    return { kind: 'none' };
  }
  return { kind: 'some', sessions: [...sessions], processes, objects };
}

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Runs `flush` at most once per `intervalMs`: the first request after a quiet period flushes
 * on the next tick, later ones are coalesced until the interval has passed.
 */
export class Throttle {
  private timer: unknown;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  request(): void {
    if (this.timer !== undefined) {
      return;
    }
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.lastFlush = this.timers.now();
      this.flush();
    }, wait);
  }

  dispose(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
