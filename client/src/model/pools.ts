// The process pools of one session (multiprocessing.Pool and ProcessPoolExecutor): what their
// creator said about them (size, maxtasksperchild, initializer, close/terminate/join), which
// workers they started (replacements too), and what was submitted to them. A worker may name its
// pool before the pool's own event arrives (its creator's stream was read later, or the pool was
// created before mpscope could see it): the pool then exists as a placeholder until it does.
import type { PoolApi, PoolClosed, PoolCreated, PoolJoined, PoolTerminated, Site, StartMethod, TaskMethod, TaskSubmitted } from '../protocol/events';
import type { ChangeRecorder } from './changes';
import { objectId } from './objectIds';

/** Where a pool is in its life: it accepts tasks, or close(), terminate() or join() happened. */
export type PoolState = 'running' | 'closed' | 'terminated' | 'joined';

/** What one (method, function) pair submitted to a pool, summed over its calls. */
export interface SubmissionSnapshot {
  readonly method: TaskMethod;
  readonly func: string | null;
  /** Calls of this method with this function so far. */
  readonly calls: number;
  /** Input items of the map-family calls whose size was known in advance. */
  readonly items: number;
  /** Some map-family call had a lazy iterable: `items` is a lower bound. */
  readonly itemsUnknown: boolean;
  /** Chunk size of the latest map-family call. */
  readonly chunksize: number | null;
  /** The first call's site. */
  readonly site: Site | null;
  readonly firstAt: number;
  readonly lastAt: number;
}

export interface PoolSnapshot {
  /** `<creator pid>-<n>`, unique in the run. */
  readonly id: string;
  /** False while only its workers named it (its pool.created has not arrived). */
  readonly announced: boolean;
  readonly api: PoolApi | null;
  readonly className: string | null;
  readonly creatorPid: number;
  /** Key of the creating process's record when the pool was first heard of. */
  readonly creatorKey: string | null;
  readonly site: Site | null;
  /** Number of workers it keeps (Pool processes, executor max_workers). */
  readonly processes: number | null;
  readonly maxtasksperchild: number | null;
  readonly initializer: string | null;
  readonly startMethod: StartMethod | null;
  readonly state: PoolState;
  readonly createdAt: number | null;
  readonly closedAt: number | null;
  readonly terminatedAt: number | null;
  readonly joinedAt: number | null;
  /** terminate() came from multiprocessing's finalizer (garbage collection or interpreter exit). */
  readonly finalized: boolean;
  /** Executor only: shutdown(wait=…, cancel_futures=…). */
  readonly shutdownWait: boolean | null;
  readonly cancelFutures: boolean | null;
  /** Keys of its worker processes in the order they started (replacements after the ones they replace). */
  readonly workers: readonly string[];
  readonly submissions: readonly SubmissionSnapshot[];
}

/** What the pool table needs from its session. */
export interface PoolTableContext {
  readonly sessionId: string;
  readonly changes: ChangeRecorder;
  /** Key of the current record of a pid, if any. */
  keyOfPid(pid: number): string | undefined;
}

// Bounds against a program creating pools or distinct functions without end.
const MAX_POOLS = 10_000;
const MAX_SUBMISSIONS_PER_POOL = 200;
const MAX_JOBS_REMEMBERED = 1_000;

class Submission implements SubmissionSnapshot {
  calls = 0;
  items = 0;
  itemsUnknown = false;
  chunksize: number | null = null;
  site: Site | null = null;
  lastAt: number;
  /** Jobs already counted (map-family calls send one event per call, with its job id). */
  readonly jobs = new Set<number>();

  constructor(
    readonly method: TaskMethod,
    readonly func: string | null,
    readonly firstAt: number,
  ) {
    this.lastAt = firstAt;
  }

  toSnapshot(): SubmissionSnapshot {
    return {
      method: this.method,
      func: this.func,
      calls: this.calls,
      items: this.items,
      itemsUnknown: this.itemsUnknown,
      chunksize: this.chunksize,
      site: this.site && { ...this.site },
      firstAt: this.firstAt,
      lastAt: this.lastAt,
    };
  }
}

export class PoolRecord implements PoolSnapshot {
  announced = false;
  api: PoolApi | null = null;
  className: string | null = null;
  site: Site | null = null;
  processes: number | null = null;
  maxtasksperchild: number | null = null;
  initializer: string | null = null;
  startMethod: StartMethod | null = null;
  createdAt: number | null = null;
  closedAt: number | null = null;
  terminatedAt: number | null = null;
  joinedAt: number | null = null;
  finalized = false;
  shutdownWait: boolean | null = null;
  cancelFutures: boolean | null = null;
  readonly workers: string[] = [];
  readonly submissionsByKey = new Map<string, Submission>();

  constructor(
    readonly id: string,
    readonly creatorPid: number,
    readonly creatorKey: string | null,
  ) {}

  get state(): PoolState {
    if (this.joinedAt !== null) {
      return 'joined';
    }
    if (this.terminatedAt !== null) {
      return 'terminated';
    }
    return this.closedAt !== null ? 'closed' : 'running';
  }

  get submissions(): readonly SubmissionSnapshot[] {
    return [...this.submissionsByKey.values()];
  }

  toSnapshot(): PoolSnapshot {
    return {
      id: this.id,
      announced: this.announced,
      api: this.api,
      className: this.className,
      creatorPid: this.creatorPid,
      creatorKey: this.creatorKey,
      site: this.site && { ...this.site },
      processes: this.processes,
      maxtasksperchild: this.maxtasksperchild,
      initializer: this.initializer,
      startMethod: this.startMethod,
      state: this.state,
      createdAt: this.createdAt,
      closedAt: this.closedAt,
      terminatedAt: this.terminatedAt,
      joinedAt: this.joinedAt,
      finalized: this.finalized,
      shutdownWait: this.shutdownWait,
      cancelFutures: this.cancelFutures,
      workers: [...this.workers],
      submissions: [...this.submissionsByKey.values()].map((submission) => submission.toSnapshot()),
    };
  }
}

export class PoolTable {
  private readonly pools = new Map<string, PoolRecord>();
  /** Pool ids by the key of the process that created them, in order of creation. */
  private readonly byCreator = new Map<string, string[]>();
  /** The pool of each worker, by worker key. */
  private readonly poolOfWorker = new Map<string, string>();

  constructor(private readonly context: PoolTableContext) {}

  get size(): number {
    return this.pools.size;
  }

  all(): IterableIterator<PoolRecord> {
    return this.pools.values();
  }

  get(id: string): PoolRecord | undefined {
    return this.pools.get(id);
  }

  /** Pools a process created, in order of creation. */
  createdBy(key: string): readonly PoolRecord[] {
    const ids = this.byCreator.get(key);
    return ids ? ids.map((id) => this.pools.get(id) as PoolRecord) : [];
  }

  poolOf(workerKey: string): PoolRecord | undefined {
    const id = this.poolOfWorker.get(workerKey);
    return id === undefined ? undefined : this.pools.get(id);
  }

  /** Returns false when the event could not be applied (too many pools). */
  created(event: PoolCreated): boolean {
    const pool = this.ensure(event.pool, event.pid);
    if (!pool) {
      return false;
    }
    pool.announced = true;
    pool.api = event.api;
    pool.className = event.class ?? pool.className;
    pool.site = event.site ? { ...event.site } : pool.site;
    pool.processes = event.processes;
    pool.maxtasksperchild = event.maxtasksperchild ?? null;
    pool.initializer = event.initializer ?? null;
    pool.startMethod = event.start_method ?? pool.startMethod;
    pool.createdAt = event.t;
    this.changed(pool);
    return true;
  }

  closed(event: PoolClosed): boolean {
    const pool = this.ensure(event.pool, event.pid);
    if (!pool) {
      return false;
    }
    pool.closedAt ??= event.t;
    pool.shutdownWait = event.wait ?? pool.shutdownWait;
    pool.cancelFutures = event.cancel_futures ?? pool.cancelFutures;
    this.changed(pool);
    return true;
  }

  terminated(event: PoolTerminated): boolean {
    const pool = this.ensure(event.pool, event.pid);
    if (!pool) {
      return false;
    }
    pool.terminatedAt ??= event.t;
    pool.finalized = pool.finalized || event.finalizer === true;
    this.changed(pool);
    return true;
  }

  joined(event: PoolJoined): boolean {
    const pool = this.ensure(event.pool, event.pid);
    if (!pool) {
      return false;
    }
    pool.joinedAt ??= event.t;
    this.changed(pool);
    return true;
  }

  submitted(event: TaskSubmitted): boolean {
    const pool = this.ensure(event.pool, event.pid);
    if (!pool) {
      return false;
    }
    const key = `${event.method}\0${event.func ?? ''}`;
    let submission = pool.submissionsByKey.get(key);
    if (!submission) {
      if (pool.submissionsByKey.size >= MAX_SUBMISSIONS_PER_POOL) {
        return false;
      }
      submission = new Submission(event.method, event.func ?? null, event.t);
      submission.site = event.site ? { ...event.site } : null;
      pool.submissionsByKey.set(key, submission);
    }
    // `calls` is cumulative: the largest count seen is the truth, whatever the order.
    submission.calls = Math.max(submission.calls, event.calls);
    submission.lastAt = Math.max(submission.lastAt, event.t);
    if (event.job !== undefined && !submission.jobs.has(event.job)) {
      if (submission.jobs.size >= MAX_JOBS_REMEMBERED) {
        submission.jobs.delete(submission.jobs.values().next().value as number);
      }
      submission.jobs.add(event.job);
      if (typeof event.items === 'number') {
        submission.items += event.items;
      } else if (event.items === null) {
        submission.itemsUnknown = true;
      }
      if (event.chunksize !== undefined) {
        submission.chunksize = event.chunksize;
      }
    }
    this.changed(pool);
    return true;
  }

  /**
   * A process was started as a worker of `poolId` by `creatorPid`. Returns false when the pool
   * could not be recorded.
   */
  addWorker(poolId: string, creatorPid: number, workerKey: string): boolean {
    if (this.poolOfWorker.get(workerKey) === poolId) {
      return true;
    }
    const pool = this.ensure(poolId, creatorPid);
    if (!pool) {
      return false;
    }
    pool.workers.push(workerKey);
    this.poolOfWorker.set(workerKey, poolId);
    // The worker moves from its parent's children to the pool's.
    this.context.changes.structureChanged(this.context.sessionId);
    this.changed(pool);
    return true;
  }

  private ensure(id: string, creatorPid: number): PoolRecord | undefined {
    let pool = this.pools.get(id);
    if (pool) {
      return pool;
    }
    if (this.pools.size >= MAX_POOLS) {
      return undefined;
    }
    const creatorKey = this.context.keyOfPid(creatorPid) ?? null;
    pool = new PoolRecord(id, creatorPid, creatorKey);
    this.pools.set(id, pool);
    if (creatorKey !== null) {
      let ids = this.byCreator.get(creatorKey);
      if (!ids) {
        ids = [];
        this.byCreator.set(creatorKey, ids);
      }
      ids.push(id);
    }
    this.context.changes.structureChanged(this.context.sessionId);
    return pool;
  }

  private changed(pool: PoolRecord): void {
    this.context.changes.objectChanged(this.context.sessionId, objectId('pool', pool.id));
  }
}
