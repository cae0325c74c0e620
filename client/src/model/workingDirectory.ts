// Where a process runs, to resolve the relative paths it reported (creation sites, traceback
// and stack frames). A process says so in its hello; a quiet child never said hello, so its
// parent's directory stands in: a forked child inherits it, and the creation site is the
// parent's own path anyway.
import type { SessionView } from './session';
import type { ProcessSnapshot } from './types';

export function workingDirectory(session: SessionView, process: ProcessSnapshot): string | null {
  const own = process.interpreter?.cwd;
  if (own) {
    return own;
  }
  const parent = process.logicalParentPid === null ? undefined : session.processByPid(process.logicalParentPid);
  return parent?.interpreter?.cwd ?? null;
}
