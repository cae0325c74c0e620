// Everything a session knows besides its processes' lifecycles: pools and their workers, the
// tasks each worker ran, stack dumps, queues, pipes, locks, managers and shared objects, and the
// long waits on them. The session hands every event that is not about a process's lifecycle
// here; each kind has its handler (the switch is exhaustive: a kind added to the protocol types
// without one fails to compile).
import type { Hello, MpscopeEvent, PipeBlocked, PipeCounters, ProcessStarted, StacksSupport } from '../protocol/events';
import type { ChangeRecorder } from './changes';
import { objectId } from './objectIds';
import { OwnedTable, RecentList } from './ownedObjects';
import { MAX_PENDING_END_EVENTS, PendingEndEvent, PipeRecord, PipeSnapshot } from './pipes';
import { PoolRecord, PoolSnapshot, PoolTable } from './pools';
import type { ProcessRecord } from './processTable';
import { QueueRecord, QueueSnapshot } from './queues';
import { ManagerRecord, ManagerSnapshot, SharedRecord, SharedSnapshot } from './sharedState';
import { copyDump, ProcessStacks, StackDumpSnapshot, stacksSubjectPid } from './stackDumps';
import { SyncRecord, SyncSnapshot } from './syncs';
import { TaskSnapshot, WorkerTasks, WorkerTasksSnapshot } from './tasks';
import { copyWait, MAX_WAITS_PER_PROCESS, WaitSnapshot } from './waits';

/** The lifecycle kinds the process table handles; every other kind comes here. */
type LifecycleKind =
  | 'hello'
  | 'process.created'
  | 'process.started'
  | 'process.joined'
  | 'process.signalled'
  | 'process.closed'
  | 'process.exited'
  | 'runtime.error';

export type ObjectEvent = Exclude<MpscopeEvent, { kind: LifecycleKind }>;

export interface ProcessStacksSnapshot {
  readonly key: string;
  readonly support: StacksSupport | null;
  readonly dumps: readonly StackDumpSnapshot[];
}

/** A queue, pipe, lock, manager or shared object, with its kind. */
export type OwnedObject =
  | { readonly kind: 'queue'; readonly record: QueueSnapshot }
  | { readonly kind: 'pipe'; readonly record: PipeSnapshot }
  | { readonly kind: 'sync'; readonly record: SyncSnapshot }
  | { readonly kind: 'manager'; readonly record: ManagerSnapshot }
  | { readonly kind: 'shared'; readonly record: SharedSnapshot };

export type OwnedKind = OwnedObject['kind'];

/** Read access for views (live records: do not change them). */
export interface SessionObjectsView {
  pools(): Iterable<PoolSnapshot>;
  pool(id: string): PoolSnapshot | undefined;
  /** Pools a process created, in order of creation. */
  poolsCreatedBy(key: string): readonly PoolSnapshot[];
  /** The pool a worker process belongs to. */
  poolOf(workerKey: string): PoolSnapshot | undefined;
  /** Tasks of a worker; undefined when it reported none. */
  tasksOf(workerKey: string): WorkerTasksSnapshot | undefined;
  /** A task a worker still keeps (failed, slowest or recent), by id (see TaskSnapshot.id). */
  task(id: string): TaskSnapshot | undefined;
  /** How a process can be asked for its stacks; null when it cannot. */
  stacksSupport(key: string): StacksSupport | null;
  /** Its stack dumps, oldest first. */
  stackDumps(key: string): readonly StackDumpSnapshot[];
  /** A queue, pipe, lock, manager or shared object by kind and id. */
  owned(kind: OwnedKind, id: string): OwnedObject | undefined;
  /** The announced objects of one kind a process created, in order of creation. */
  ownedCreatedBy(kind: OwnedKind, key: string): readonly OwnedObject[];
  /** Every object of one kind (placeholders included). */
  allOwned(kind: OwnedKind): OwnedObject[];
  /** The latest long waits of a process (on queues, pipes, locks), oldest first. */
  waitsOf(key: string): readonly WaitSnapshot[];
}

export interface SessionObjectsContext {
  readonly sessionId: string;
  readonly changes: ChangeRecorder;
  processByPid(pid: number): ProcessRecord | undefined;
  processByKey(key: string): ProcessRecord | undefined;
}

// Bounds against a program that starts workers or dumps stacks without end.
const MAX_WORKERS_WITH_TASKS = 20_000;
const MAX_PROCESSES_WITH_STACKS = 20_000;

export class SessionObjects implements SessionObjectsView {
  readonly poolTable: PoolTable;
  private readonly workers = new Map<string, WorkerTasks>();
  private readonly stacks = new Map<string, ProcessStacks>();
  readonly queues: OwnedTable<QueueRecord>;
  readonly pipes: OwnedTable<PipeRecord>;
  readonly syncs: OwnedTable<SyncRecord>;
  readonly managers: OwnedTable<ManagerRecord>;
  readonly shared: OwnedTable<SharedRecord>;
  /** The pipe each connection end belongs to. */
  private readonly pipeOfEnd = new Map<string, string>();
  /** Reports about ends whose pipe is not known yet, by end. */
  private readonly pendingEnds = new Map<string, PendingEndEvent[]>();
  private pendingEndCount = 0;
  private readonly waitsByProcess = new Map<string, RecentList<WaitSnapshot>>();

  constructor(private readonly context: SessionObjectsContext) {
    const owned = {
      sessionId: context.sessionId,
      changes: context.changes,
      keyOfPid: (pid: number) => context.processByPid(pid)?.key,
    };
    this.poolTable = new PoolTable(owned);
    this.queues = new OwnedTable('queue', owned, (id) => new QueueRecord(id));
    this.pipes = new OwnedTable('pipe', owned, (id) => new PipeRecord(id));
    this.syncs = new OwnedTable('sync', owned, (id) => new SyncRecord(id));
    this.managers = new OwnedTable('manager', owned, (id) => new ManagerRecord(id));
    this.shared = new OwnedTable('shared', owned, (id) => new SharedRecord(id));
  }

  /** Applies one event; false when it refers to something the session cannot place. */
  apply(event: ObjectEvent): boolean {
    switch (event.kind) {
      case 'pool.created':
        return this.poolTable.created(event);
      case 'pool.closed':
        return this.poolTable.closed(event);
      case 'pool.terminated':
        return this.poolTable.terminated(event);
      case 'pool.joined':
        return this.poolTable.joined(event);
      case 'task.submitted':
        return this.poolTable.submitted(event);
      case 'task.finished': {
        const worker = this.workerTasks(event.pid);
        if (!worker) {
          return false;
        }
        worker.finished(event);
        this.taskChanged(worker);
        return true;
      }
      case 'task.counters': {
        const worker = this.workerTasks(event.pid);
        if (!worker) {
          return false;
        }
        worker.counters(event);
        this.taskChanged(worker);
        return true;
      }
      case 'stacks': {
        const record = this.context.processByPid(stacksSubjectPid(event));
        const stacks = record && this.stacksFor(record.key);
        if (!record || !stacks) {
          return false;
        }
        stacks.add(event);
        this.context.changes.processChanged(this.context.sessionId, record.key);
        return true;
      }
      case 'queue.created': {
        const queue = this.queues.announce(event.queue, event.pid, event.t, event.site);
        queue?.created(event);
        return queue !== undefined;
      }
      case 'queue.counters': {
        const key = this.keyOf(event.pid);
        const queue = key === undefined ? undefined : this.queues.ensure(event.queue);
        if (!queue || key === undefined || !queue.counters(event, key)) {
          return false;
        }
        this.queues.changed(queue);
        return true;
      }
      case 'queue.blocked': {
        const queue = this.queues.ensure(event.queue);
        if (!queue) {
          return false;
        }
        this.noteWait(queue.blocked(event, this.keyOf(event.pid) ?? null));
        this.queues.changed(queue);
        return true;
      }
      case 'queue.leftover': {
        const queue = this.queues.ensure(event.queue);
        if (!queue) {
          return false;
        }
        queue.leftover(event, this.keyOf(event.pid) ?? null);
        this.queues.changed(queue);
        return true;
      }
      case 'pipe.created': {
        const pipe = this.pipes.announce(event.pipe, event.pid, event.t, event.site);
        if (!pipe) {
          return false;
        }
        pipe.created(event);
        for (const end of event.ends) {
          this.pipeOfEnd.set(end, pipe.id);
          for (const pending of this.takePending(end)) {
            this.applyToPipe(pipe, pending);
          }
        }
        return true;
      }
      case 'pipe.counters':
      case 'pipe.blocked': {
        const pipeId = this.pipeOfEnd.get(event.conn);
        const pipe = pipeId === undefined ? undefined : this.pipes.get(pipeId);
        if (!pipe) {
          return this.keepPending(event);
        }
        return this.applyToPipe(pipe, event);
      }
      case 'sync.created': {
        const sync = this.syncs.announce(event.sync, event.pid, event.t, event.site);
        sync?.created(event);
        return sync !== undefined;
      }
      case 'sync.wait': {
        const sync = this.syncs.ensure(event.sync);
        if (!sync) {
          return false;
        }
        this.noteWait(sync.wait(event, this.keyOf(event.pid) ?? null));
        this.syncs.changed(sync);
        return true;
      }
      case 'manager.created': {
        const manager = this.managers.announce(event.manager, event.pid, event.t, event.site);
        manager?.created(event);
        return manager !== undefined;
      }
      case 'shared.created': {
        const shared = this.shared.announce(event.shared, event.pid, event.t, event.site);
        shared?.created(event);
        return shared !== undefined;
      }
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  }

  /** A process said hello: how to ask it for its stacks. */
  hello(event: Hello): void {
    const record = this.context.processByPid(event.pid);
    if (!record) {
      return;
    }
    const support = event.stacks ? { ...event.stacks } : null;
    const existing = this.stacks.get(record.key);
    if (support || existing) {
      const stacks = existing ?? this.stacksFor(record.key);
      if (stacks) {
        stacks.support = support;
      }
    }
  }

  /**
   * A process was started: a quiet child learns from its parent how to ask it for its stacks; a
   * pool worker joins its pool. Returns false when it could not.
   */
  processStarted(event: ProcessStarted): boolean {
    const record = this.context.processByPid(event.child_pid);
    if (record && event.quiet === true && event.stacks && record.quiet) {
      const stacks = this.stacksFor(record.key);
      if (stacks && stacks.support === null) {
        stacks.support = { ...event.stacks };
      }
    }
    if (!record || record.pool === null) {
      return true;
    }
    return this.poolTable.addWorker(record.pool, event.pid, record.key);
  }

  pools(): IterableIterator<PoolRecord> {
    return this.poolTable.all();
  }

  pool(id: string): PoolRecord | undefined {
    return this.poolTable.get(id);
  }

  poolsCreatedBy(key: string): readonly PoolRecord[] {
    return this.poolTable.createdBy(key);
  }

  poolOf(workerKey: string): PoolRecord | undefined {
    return this.poolTable.poolOf(workerKey);
  }

  tasksOf(workerKey: string): WorkerTasks | undefined {
    return this.workers.get(workerKey);
  }

  task(id: string): TaskSnapshot | undefined {
    const worker = this.workers.get(workerKeyOfTask(id));
    if (!worker) {
      return undefined;
    }
    for (const list of [worker.failed, worker.slowest, worker.recent]) {
      const found = list.find((task) => task.id === id);
      if (found) {
        return found;
      }
    }
    return undefined;
  }

  stacksSupport(key: string): StacksSupport | null {
    return this.stacks.get(key)?.support ?? null;
  }

  stackDumps(key: string): readonly StackDumpSnapshot[] {
    return this.stacks.get(key)?.dumps ?? [];
  }

  owned(kind: OwnedKind, id: string): OwnedObject | undefined {
    const record = this.tableOf(kind).get(id);
    return record && ({ kind, record } as OwnedObject);
  }

  ownedCreatedBy(kind: OwnedKind, key: string): readonly OwnedObject[] {
    return this.tableOf(kind).createdBy(key).map((record) => ({ kind, record }) as OwnedObject);
  }

  allOwned(kind: OwnedKind): OwnedObject[] {
    return [...this.tableOf(kind).all()].map((record) => ({ kind, record }) as OwnedObject);
  }

  waitsOf(key: string): readonly WaitSnapshot[] {
    return this.waitsByProcess.get(key)?.list ?? [];
  }

  snapshotQueues(): QueueSnapshot[] {
    return [...this.queues.all()].map((record) => record.toSnapshot());
  }

  snapshotPipes(): PipeSnapshot[] {
    return [...this.pipes.all()].map((record) => record.toSnapshot());
  }

  snapshotSyncs(): SyncSnapshot[] {
    return [...this.syncs.all()].map((record) => record.toSnapshot());
  }

  snapshotManagers(): ManagerSnapshot[] {
    return [...this.managers.all()].map((record) => record.toSnapshot());
  }

  snapshotShared(): SharedSnapshot[] {
    return [...this.shared.all()].map((record) => record.toSnapshot());
  }

  snapshotWaits(): Array<{ key: string; waits: WaitSnapshot[] }> {
    return [...this.waitsByProcess.entries()].map(([key, waits]) => ({ key, waits: waits.list.map(copyWait) }));
  }

  snapshotPools(): PoolSnapshot[] {
    return [...this.poolTable.all()].map((pool) => pool.toSnapshot());
  }

  snapshotTasks(): WorkerTasksSnapshot[] {
    return [...this.workers.values()].map((worker) => worker.toSnapshot());
  }

  snapshotStacks(): ProcessStacksSnapshot[] {
    return [...this.stacks.entries()].map(([key, stacks]) => ({
      key,
      support: stacks.support && { ...stacks.support },
      dumps: stacks.dumps.map(copyDump),
    }));
  }

  private workerTasks(pid: number): WorkerTasks | undefined {
    const record = this.context.processByPid(pid);
    if (!record) {
      return undefined;
    }
    let worker = this.workers.get(record.key);
    if (!worker) {
      if (this.workers.size >= MAX_WORKERS_WITH_TASKS) {
        return undefined;
      }
      worker = new WorkerTasks(record.key, record.pid);
      this.workers.set(record.key, worker);
    }
    return worker;
  }

  private stacksFor(key: string): ProcessStacks | undefined {
    let stacks = this.stacks.get(key);
    if (!stacks) {
      if (this.stacks.size >= MAX_PROCESSES_WITH_STACKS) {
        return undefined;
      }
      stacks = new ProcessStacks();
      this.stacks.set(key, stacks);
    }
    return stacks;
  }

  private keyOf(pid: number): string | undefined {
    return this.context.processByPid(pid)?.key;
  }

  private tableOf(kind: OwnedKind): OwnedTable<QueueRecord | PipeRecord | SyncRecord | ManagerRecord | SharedRecord> {
    switch (kind) {
      case 'queue':
        return this.queues;
      case 'pipe':
        return this.pipes;
      case 'sync':
        return this.syncs;
      case 'manager':
        return this.managers;
      case 'shared':
        return this.shared;
      default: {
        const unknown: never = kind;
        return unknown;
      }
    }
  }

  private applyToPipe(pipe: PipeRecord, event: PipeCounters | PipeBlocked): boolean {
    const key = this.keyOf(event.pid);
    if (event.kind === 'pipe.counters') {
      if (key === undefined || !pipe.counters(event, key)) {
        return false;
      }
    } else {
      this.noteWait(pipe.blocked(event, key ?? null));
    }
    this.pipes.changed(pipe);
    return true;
  }

  private keepPending(event: PendingEndEvent): boolean {
    if (this.pendingEndCount >= MAX_PENDING_END_EVENTS) {
      return false;
    }
    let list = this.pendingEnds.get(event.conn);
    if (!list) {
      list = [];
      this.pendingEnds.set(event.conn, list);
    }
    list.push(event);
    this.pendingEndCount++;
    return true;
  }

  private takePending(end: string): PendingEndEvent[] {
    const list = this.pendingEnds.get(end) ?? [];
    this.pendingEnds.delete(end);
    this.pendingEndCount -= list.length;
    return list;
  }

  /** A long wait is also part of the waiting process's story (its tooltip). */
  private noteWait(wait: WaitSnapshot): void {
    if (wait.key === null) {
      return;
    }
    let waits = this.waitsByProcess.get(wait.key);
    if (!waits) {
      waits = new RecentList(MAX_WAITS_PER_PROCESS);
      this.waitsByProcess.set(wait.key, waits);
    }
    waits.add(wait);
    this.context.changes.processChanged(this.context.sessionId, wait.key);
  }

  private taskChanged(worker: WorkerTasks): void {
    // The worker's item shows its counts and its failed and slow tasks as children.
    this.context.changes.processChanged(this.context.sessionId, worker.key);
    const pool = this.poolTable.poolOf(worker.key);
    if (pool) {
      this.context.changes.objectChanged(this.context.sessionId, objectId('pool', pool.id));
    }
  }
}

/** Task ids are `<worker key>/t<n>` (tasks.ts). */
function workerKeyOfTask(id: string): string {
  const slash = id.lastIndexOf('/t');
  return slash === -1 ? id : id.slice(0, slash);
}
