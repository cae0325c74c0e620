// The status bar's live count, computed without VS Code: how many processes run and how many
// failed. It counts the sessions still running; when none runs, the newest session (what the
// user just ran). No session at all: nothing to show.
import type { SessionView } from '../model/session';
import type { ProcessState } from '../model/types';

export interface StatusSummary {
  /** `$(pulse) 3 running · 1 failed` (codicon syntax). */
  readonly text: string;
  /** Plain text: which sessions are counted and what else they hold. */
  readonly tooltip: string;
  readonly running: number;
  readonly failed: number;
}

const RUNNING: ReadonlySet<ProcessState> = new Set<ProcessState>(['starting', 'running', 'orphan']);

/** Undefined when there is no session (the item hides). */
export function statusSummary(sessions: readonly SessionView[]): StatusSummary | undefined {
  if (sessions.length === 0) {
    return undefined;
  }
  const live = sessions.filter((session) => session.endedAt === null);
  const counted = live.length > 0 ? live : [sessions[sessions.length - 1] as SessionView];
  let running = 0;
  let failed = 0;
  let killed = 0;
  let lost = 0;
  for (const session of counted) {
    for (const process of session.allProcesses()) {
      if (RUNNING.has(process.state)) {
        running++;
      } else if (process.state === 'failed') {
        failed++;
      } else if (process.state === 'killed') {
        killed++;
      } else if (process.state === 'lost') {
        lost++;
      }
    }
  }
  const text = `$(pulse) ${running} running · ${failed} failed`;
  const which = live.length > 0
    ? `${live.length === 1 ? 'Running session' : `${live.length} running sessions`}: ${live.map((session) => session.label).join(', ')}`
    : `Last session: ${counted[0]?.label ?? ''} (ended)`;
  const details = [`${running} running`, `${failed} failed`];
  if (killed > 0) {
    details.push(`${killed} killed by a signal`);
  }
  if (lost > 0) {
    details.push(`${lost} lost`);
  }
  return { text, tooltip: `mpscope — ${which}\n${details.join(', ')}\nClick to show the Processes view.`, running, failed };
}
