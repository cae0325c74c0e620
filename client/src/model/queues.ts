// Queues created in user code (Queue, JoinableQueue, SimpleQueue, Manager queues): what each
// process put and took (the runtime sends running totals per process; the model adds them up),
// the backlog, puts, gets and joins that waited long, and the items left behind when a process
// ended.
import type { QueueBlocked, QueueCounters, QueueCreated, QueueKind, QueueLeftover } from '../protocol/events';
import { OwnedRecord, OwnedSnapshot, RecentList } from './ownedObjects';
import { copyWait, MAX_WAITS_PER_OBJECT, waitFromEvent, WaitSnapshot } from './waits';

/** One process's running totals for a queue. */
export interface QueueUseSnapshot {
  readonly key: string;
  readonly pid: number;
  readonly puts: number;
  readonly gets: number;
  readonly taskDone: number;
  readonly joins: number;
}

/** A process ended while the queue held items. */
export interface LeftoverSnapshot {
  readonly key: string | null;
  readonly pid: number;
  /** Null when the queue holds some but their number cannot be read. */
  readonly backlog: number | null;
  /** Items that process put that never left it: lost. */
  readonly buffered: number;
  readonly t: number;
}

export interface QueueSnapshot extends OwnedSnapshot {
  readonly queueKind: QueueKind | null;
  /** Null: unbounded (or unknown). */
  readonly maxsize: number | null;
  readonly className: string | null;
  readonly managerAddress: string | null;
  /** Sums over every process that used it. */
  readonly puts: number;
  readonly gets: number;
  readonly taskDone: number;
  readonly joins: number;
  /** Items in the queue as last reported (by any process); null when none could read it. */
  readonly backlog: number | null;
  readonly backlogAt: number | null;
  readonly uses: readonly QueueUseSnapshot[];
  /** The latest long waits, oldest first. */
  readonly waits: readonly WaitSnapshot[];
  /** Every long wait seen, including those no longer kept. */
  readonly waitCount: number;
  readonly leftovers: readonly LeftoverSnapshot[];
}

const MAX_LEFTOVERS = 50;
const MAX_USERS = 1_000;

export class QueueRecord extends OwnedRecord implements QueueSnapshot {
  queueKind: QueueKind | null = null;
  maxsize: number | null = null;
  className: string | null = null;
  managerAddress: string | null = null;
  backlog: number | null = null;
  backlogAt: number | null = null;
  private readonly usesByKey = new Map<string, QueueUseSnapshot>();
  private readonly recentWaits = new RecentList<WaitSnapshot>(MAX_WAITS_PER_OBJECT);
  private readonly recentLeftovers = new RecentList<LeftoverSnapshot>(MAX_LEFTOVERS);

  get uses(): readonly QueueUseSnapshot[] {
    return [...this.usesByKey.values()];
  }

  get puts(): number {
    return this.sum((use) => use.puts);
  }

  get gets(): number {
    return this.sum((use) => use.gets);
  }

  get taskDone(): number {
    return this.sum((use) => use.taskDone);
  }

  get joins(): number {
    return this.sum((use) => use.joins);
  }

  get waits(): readonly WaitSnapshot[] {
    return this.recentWaits.list;
  }

  get waitCount(): number {
    return this.recentWaits.total;
  }

  get leftovers(): readonly LeftoverSnapshot[] {
    return this.recentLeftovers.list;
  }

  created(event: QueueCreated): void {
    this.queueKind = event.queue_kind;
    this.maxsize = event.maxsize ?? null;
    this.className = event.class ?? this.className;
    this.managerAddress = event.manager_address ?? this.managerAddress;
  }

  /** Returns false when the queue has too many users to record another. */
  counters(event: QueueCounters, key: string): boolean {
    if (!this.usesByKey.has(key) && this.usesByKey.size >= MAX_USERS) {
      return false;
    }
    this.usesByKey.set(key, {
      key,
      pid: event.pid,
      puts: event.puts,
      gets: event.gets,
      taskDone: event.task_done ?? 0,
      joins: event.joins ?? 0,
    });
    // The newest reading wins, whichever stream delivered it first.
    if (event.backlog !== undefined && (this.backlogAt === null || event.t >= this.backlogAt)) {
      this.backlog = event.backlog;
      this.backlogAt = event.t;
    }
    return true;
  }

  blocked(event: QueueBlocked, key: string | null): WaitSnapshot {
    const wait = waitFromEvent({ kind: 'queue', id: this.id }, event, key);
    this.recentWaits.add(wait);
    return wait;
  }

  leftover(event: QueueLeftover, key: string | null): void {
    this.recentLeftovers.add({ key, pid: event.pid, backlog: event.backlog, buffered: event.buffered, t: event.t });
  }

  toSnapshot(): QueueSnapshot {
    return {
      ...this.ownedSnapshot(),
      queueKind: this.queueKind,
      maxsize: this.maxsize,
      className: this.className,
      managerAddress: this.managerAddress,
      puts: this.puts,
      gets: this.gets,
      taskDone: this.taskDone,
      joins: this.joins,
      backlog: this.backlog,
      backlogAt: this.backlogAt,
      uses: this.uses.map((use) => ({ ...use })),
      waits: this.waits.map(copyWait),
      waitCount: this.waitCount,
      leftovers: this.leftovers.map((leftover) => ({ ...leftover })),
    };
  }

  private sum(pick: (use: QueueUseSnapshot) => number): number {
    let total = 0;
    for (const use of this.usesByKey.values()) {
      total += pick(use);
    }
    return total;
  }
}
