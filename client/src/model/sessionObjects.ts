// Everything a session knows besides its processes' lifecycles: pools and their workers, the
// tasks each worker ran, stack dumps. The session hands every event that is not about a
// process's lifecycle here; each kind has its handler (the switch is exhaustive: a kind added to
// the protocol types without one fails to compile).
import type { Hello, MpscopeEvent, ProcessStarted } from '../protocol/events';
import type { ChangeRecorder } from './changes';
import { objectId } from './objectIds';
import { PoolRecord, PoolSnapshot, PoolTable } from './pools';
import type { ProcessRecord } from './processTable';
import { copyDump, ProcessStacks, StackDumpSnapshot, stacksSubjectPid } from './stackDumps';
import { TaskSnapshot, WorkerTasks, WorkerTasksSnapshot } from './tasks';
import type { StacksSupport } from '../protocol/events';

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

  constructor(private readonly context: SessionObjectsContext) {
    this.poolTable = new PoolTable({
      sessionId: context.sessionId,
      changes: context.changes,
      keyOfPid: (pid) => context.processByPid(pid)?.key,
    });
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

  /** A process was started; a pool worker joins its pool. Returns false when it could not. */
  processStarted(event: ProcessStarted): boolean {
    const record = this.context.processByPid(event.child_pid);
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
