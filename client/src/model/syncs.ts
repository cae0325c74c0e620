// Synchronization primitives created in user code (Lock, RLock, Semaphore, BoundedSemaphore,
// Condition, Event, Barrier) and the long waits on them: who waited, for how long, how it ended,
// and (for locks) which process held it when the wait began.
import type { SyncCreated, SyncKind, SyncWait } from '../protocol/events';
import { OwnedRecord, OwnedSnapshot, RecentList } from './ownedObjects';
import { copyWait, MAX_WAITS_PER_OBJECT, waitFromEvent, WaitSnapshot } from './waits';

export interface SyncSnapshot extends OwnedSnapshot {
  readonly syncKind: SyncKind | null;
  /** Semaphore, BoundedSemaphore: initial value. */
  readonly value: number | null;
  /** BoundedSemaphore. */
  readonly maxvalue: number | null;
  /** Barrier. */
  readonly parties: number | null;
  readonly waits: readonly WaitSnapshot[];
  readonly waitCount: number;
  /** The longest wait seen, seconds (0 without waits). */
  readonly longestWait: number;
}

export class SyncRecord extends OwnedRecord implements SyncSnapshot {
  syncKind: SyncKind | null = null;
  value: number | null = null;
  maxvalue: number | null = null;
  parties: number | null = null;
  longestWait = 0;
  private readonly recentWaits = new RecentList<WaitSnapshot>(MAX_WAITS_PER_OBJECT);

  get waits(): readonly WaitSnapshot[] {
    return this.recentWaits.list;
  }

  get waitCount(): number {
    return this.recentWaits.total;
  }

  created(event: SyncCreated): void {
    this.syncKind = event.sync_kind;
    this.value = event.value ?? null;
    this.maxvalue = event.maxvalue ?? null;
    this.parties = event.parties ?? null;
  }

  wait(event: SyncWait, key: string | null): WaitSnapshot {
    this.syncKind ??= event.sync_kind;
    this.longestWait = Math.max(this.longestWait, event.waited);
    const wait = waitFromEvent({ kind: 'sync', id: this.id }, event, key);
    this.recentWaits.add(wait);
    return wait;
  }

  toSnapshot(): SyncSnapshot {
    return {
      ...this.ownedSnapshot(),
      syncKind: this.syncKind,
      value: this.value,
      maxvalue: this.maxvalue,
      parties: this.parties,
      waits: this.waits.map(copyWait),
      waitCount: this.waitCount,
      longestWait: this.longestWait,
    };
  }
}
