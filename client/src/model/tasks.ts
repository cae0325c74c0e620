// The tasks each worker ran. The runtime keeps hot paths cheap: a worker sends running totals
// (task.counters) and only the tasks that matter one by one (task.finished: every failure, tasks
// slower than a threshold, or every task in full detail). Per worker the model keeps the totals,
// every failed task (bounded), the slowest tasks, and the most recent ones for the timeline.
import type { ExceptionInfo, TaskCounters, TaskFinished } from '../protocol/events';

export interface TaskCountsSnapshot {
  /** Tasks that returned. */
  readonly done: number;
  /** Tasks that raised, or during which the worker ended. */
  readonly failed: number;
  /** Total seconds spent in tasks. */
  readonly time: number;
  /** The longest task, seconds. */
  readonly max: number;
}

/** One task (a single call, or a chunk of a map-family call) a worker reported. */
export interface TaskSnapshot {
  /** Unique within the session. */
  readonly id: string;
  readonly workerKey: string;
  readonly workerPid: number;
  /** The job id of the call that submitted it (executor: the work id). */
  readonly job: number;
  /** Its index in its job (for chunks: the chunk index); Pool only. */
  readonly index: number | null;
  /** Items of a map-family chunk. */
  readonly items: number | null;
  readonly func: string | null;
  /** When the worker began it. */
  readonly started: number;
  readonly duration: number;
  readonly ok: boolean;
  readonly exception: ExceptionInfo | null;
  /** The worker ended while running it, with this exit code. */
  readonly exitcode: number | null;
}

export interface WorkerTasksSnapshot {
  /** The worker's process key. */
  readonly key: string;
  readonly counts: TaskCountsSnapshot;
  /** Failed tasks, oldest first. */
  readonly failed: readonly TaskSnapshot[];
  /** Failed tasks not kept (past the bound). */
  readonly failedDropped: number;
  /** The longest tasks that returned, longest first. */
  readonly slowest: readonly TaskSnapshot[];
  /** The latest tasks reported one by one (failed ones included), oldest first. */
  readonly recent: readonly TaskSnapshot[];
}

export const MAX_FAILED_TASKS_PER_WORKER = 100;
export const MAX_SLOWEST_TASKS_PER_WORKER = 5;
export const MAX_RECENT_TASKS_PER_WORKER = 500;

const ZERO: TaskCountsSnapshot = { done: 0, failed: 0, time: 0, max: 0 };

export class WorkerTasks implements WorkerTasksSnapshot {
  /** What the worker's latest task.counters said. */
  private reported: TaskCountsSnapshot = ZERO;
  /** What the tasks seen one by one add up to (a lower bound while counters lag behind). */
  private seenDone = 0;
  private seenFailed = 0;
  private seenTime = 0;
  private seenMax = 0;
  readonly failed: TaskSnapshot[] = [];
  failedDropped = 0;
  readonly slowest: TaskSnapshot[] = [];
  /** Trimmed in batches so that adding stays O(1); `recent` returns the last ones only. */
  private recentBuffer: TaskSnapshot[] = [];
  private nextNumber = 1;

  constructor(
    readonly key: string,
    readonly pid: number,
  ) {}

  get counts(): TaskCountsSnapshot {
    return {
      done: Math.max(this.reported.done, this.seenDone),
      failed: Math.max(this.reported.failed, this.seenFailed),
      time: Math.max(this.reported.time, this.seenTime),
      max: Math.max(this.reported.max, this.seenMax),
    };
  }

  get recent(): readonly TaskSnapshot[] {
    const buffer = this.recentBuffer;
    return buffer.length <= MAX_RECENT_TASKS_PER_WORKER ? buffer : buffer.slice(buffer.length - MAX_RECENT_TASKS_PER_WORKER);
  }

  counters(event: TaskCounters): void {
    this.reported = { done: event.done, failed: event.failed, time: event.time, max: event.max };
  }

  /** Returns the task as recorded. */
  finished(event: TaskFinished): TaskSnapshot {
    const task: TaskSnapshot = {
      id: `${this.key}/t${this.nextNumber++}`,
      workerKey: this.key,
      workerPid: this.pid,
      job: event.job,
      index: event.index ?? null,
      items: event.items ?? null,
      func: event.func ?? null,
      started: event.started,
      duration: event.duration,
      ok: event.ok,
      exception: event.exception ? copyException(event.exception) : null,
      exitcode: event.exitcode ?? null,
    };
    this.seenTime += task.duration;
    this.seenMax = Math.max(this.seenMax, task.duration);
    if (task.ok) {
      this.seenDone++;
      this.noteSlow(task);
    } else {
      this.seenFailed++;
      if (this.failed.length < MAX_FAILED_TASKS_PER_WORKER) {
        this.failed.push(task);
      } else {
        this.failedDropped++;
      }
    }
    this.recentBuffer.push(task);
    if (this.recentBuffer.length >= 2 * MAX_RECENT_TASKS_PER_WORKER) {
      this.recentBuffer = this.recentBuffer.slice(this.recentBuffer.length - MAX_RECENT_TASKS_PER_WORKER);
    }
    return task;
  }

  toSnapshot(): WorkerTasksSnapshot {
    return {
      key: this.key,
      counts: this.counts,
      failed: this.failed.map(copyTask),
      failedDropped: this.failedDropped,
      slowest: this.slowest.map(copyTask),
      recent: this.recent.map(copyTask),
    };
  }

  private noteSlow(task: TaskSnapshot): void {
    const list = this.slowest;
    if (list.length === MAX_SLOWEST_TASKS_PER_WORKER && task.duration <= (list[list.length - 1] as TaskSnapshot).duration) {
      return;
    }
    // Longest first; equal durations keep their arrival order.
    let at = list.findIndex((other) => task.duration > other.duration);
    if (at === -1) {
      at = list.length;
    }
    list.splice(at, 0, task);
    if (list.length > MAX_SLOWEST_TASKS_PER_WORKER) {
      list.pop();
    }
  }
}

function copyTask(task: TaskSnapshot): TaskSnapshot {
  return { ...task, exception: task.exception && copyException(task.exception) };
}

function copyException(exception: ExceptionInfo): ExceptionInfo {
  return exception.site ? { ...exception, site: { ...exception.site } } : { ...exception };
}
