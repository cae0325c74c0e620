// The failures of a session that get runtime error diagnostics: processes whose run() raised
// (their exit record holds the exception) and Pool or executor tasks that raised (task.finished
// events with ok: false, read from what the session received).
import type { SessionView } from '../model/session';
import { workingDirectory } from '../model/workingDirectory';
import type { MpscopeEvent, TaskFinished } from '../protocol/events';
import type { RuntimeFailure } from './failureLocations';

export function processFailures(session: SessionView): RuntimeFailure[] {
  const failures: RuntimeFailure[] = [];
  for (const process of session.allProcesses()) {
    const exception = process.exit?.exception;
    if (exception) {
      failures.push({
        exception,
        target: process.target,
        processName: process.name,
        pid: process.pid,
        cwd: workingDirectory(session, process),
      });
    }
  }
  return failures;
}

/** A failed task's failure, or undefined for any other event. */
export function taskFailure(event: MpscopeEvent, session: SessionView): RuntimeFailure | undefined {
  if (event.kind !== 'task.finished' || event.ok) {
    return undefined;
  }
  const finished: TaskFinished = event;
  if (!finished.exception) {
    return undefined; // the worker ended during the task: its process record tells how
  }
  const worker = session.processByPid(finished.pid);
  return {
    exception: finished.exception,
    target: finished.func ?? null,
    processName: worker?.name ?? `pid ${finished.pid}`,
    pid: finished.pid,
    cwd: worker?.interpreter?.cwd ?? null,
    task: 'task',
  };
}
