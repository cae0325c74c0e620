// Pipes created in user code. Pipe() returns two connection ends; every process that holds an
// end names it alike, and reports what it sent and received on it (running totals) and the sends
// and receives that waited long. Those reports name the end, not the pipe, and may arrive before
// the pipe's creation: they are kept by end until the pipe that owns the end is known.
import type { PipeBlocked, PipeCounters, PipeCreated } from '../protocol/events';
import { OwnedRecord, OwnedSnapshot, RecentList } from './ownedObjects';
import { copyWait, MAX_WAITS_PER_OBJECT, waitFromEvent, WaitSnapshot } from './waits';

/** One process's running totals on one end. */
export interface PipeUseSnapshot {
  readonly conn: string;
  readonly key: string;
  readonly pid: number;
  readonly sends: number;
  readonly recvs: number;
}

export interface PipeSnapshot extends OwnedSnapshot {
  readonly duplex: boolean | null;
  /** The two ends Pipe() returned, in order. */
  readonly ends: readonly string[];
  readonly sends: number;
  readonly recvs: number;
  readonly uses: readonly PipeUseSnapshot[];
  readonly waits: readonly WaitSnapshot[];
  readonly waitCount: number;
}

const MAX_USES = 1_000;

export class PipeRecord extends OwnedRecord implements PipeSnapshot {
  duplex: boolean | null = null;
  ends: readonly string[] = [];
  private readonly usesByEnd = new Map<string, PipeUseSnapshot>();
  private readonly recentWaits = new RecentList<WaitSnapshot>(MAX_WAITS_PER_OBJECT);

  get uses(): readonly PipeUseSnapshot[] {
    return [...this.usesByEnd.values()];
  }

  get sends(): number {
    let total = 0;
    for (const use of this.usesByEnd.values()) {
      total += use.sends;
    }
    return total;
  }

  get recvs(): number {
    let total = 0;
    for (const use of this.usesByEnd.values()) {
      total += use.recvs;
    }
    return total;
  }

  get waits(): readonly WaitSnapshot[] {
    return this.recentWaits.list;
  }

  get waitCount(): number {
    return this.recentWaits.total;
  }

  created(event: PipeCreated): void {
    this.duplex = event.duplex;
    this.ends = [...event.ends];
  }

  /** Returns false past the bound of recorded uses. */
  counters(event: PipeCounters, key: string): boolean {
    const slot = `${event.conn}\0${key}`;
    if (!this.usesByEnd.has(slot) && this.usesByEnd.size >= MAX_USES) {
      return false;
    }
    this.usesByEnd.set(slot, { conn: event.conn, key, pid: event.pid, sends: event.sends, recvs: event.recvs });
    return true;
  }

  blocked(event: PipeBlocked, key: string | null): WaitSnapshot {
    const wait = waitFromEvent({ kind: 'pipe', id: this.id }, event, key);
    this.recentWaits.add(wait);
    return wait;
  }

  toSnapshot(): PipeSnapshot {
    return {
      ...this.ownedSnapshot(),
      duplex: this.duplex,
      ends: [...this.ends],
      sends: this.sends,
      recvs: this.recvs,
      uses: this.uses.map((use) => ({ ...use })),
      waits: this.waits.map(copyWait),
      waitCount: this.waitCount,
    };
  }
}

/** What arrives about an end before its pipe is known, replayed once the pipe is. */
export type PendingEndEvent = PipeCounters | PipeBlocked;

export const MAX_PENDING_END_EVENTS = 10_000;
