// Stack dumps per process: how each process can be asked for the stacks of all its threads (from
// its hello) and the answers that came back (`stacks` events: from the process itself, or from a
// collector that read its faulthandler dump file). The latest few are kept per process.
import type { Stacks, StacksReason, StacksSupport, ThreadStack } from '../protocol/events';

export interface StackDumpSnapshot {
  /** When the answer arrived (the event's time). */
  readonly t: number;
  readonly reporter: 'self' | 'collector';
  readonly reason: StacksReason | null;
  /** Id of the request it answers, when it answers one. */
  readonly request: string | null;
  /** Main thread first when known; each thread's frames innermost first. */
  readonly threads: readonly ThreadStack[];
  readonly threadsTruncated: boolean;
  /** Why there are no stacks (the process did not answer in time). */
  readonly error: string | null;
}

export const MAX_DUMPS_PER_PROCESS = 5;

export class ProcessStacks {
  support: StacksSupport | null = null;
  readonly dumps: StackDumpSnapshot[] = [];

  add(event: Stacks): StackDumpSnapshot {
    const dump: StackDumpSnapshot = {
      t: event.t,
      reporter: event.reporter,
      reason: event.reason ?? null,
      request: event.request ?? null,
      threads: event.threads.map(copyThread),
      threadsTruncated: event.threads_truncated === true,
      error: event.error ?? null,
    };
    this.dumps.push(dump);
    if (this.dumps.length > MAX_DUMPS_PER_PROCESS) {
      this.dumps.shift();
    }
    return dump;
  }
}

/** The process a stacks event is about: the sender, or the one a collector names. */
export function stacksSubjectPid(event: Stacks): number {
  return event.reporter === 'collector' ? event.child_pid ?? event.pid : event.pid;
}

export function copyThread(thread: ThreadStack): ThreadStack {
  return { ...thread, frames: thread.frames.map((frame) => ({ ...frame })) };
}

export function copyDump(dump: StackDumpSnapshot): StackDumpSnapshot {
  return { ...dump, threads: dump.threads.map(copyThread) };
}
