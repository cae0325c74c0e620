// mpscope.killSurvivors: ends the processes that outlived their session (a child whose parent
// forgot it, a non-Python helper, an orphan), after a confirmation listing them. Each one is
// checked against a fresh process list first (see os/survivors.ts), killed with SIGKILL, and
// recorded in the session as killed by mpscope.
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import type { SessionView } from '../model/session';
import { isValidEvent } from '../protocol/eventSchema';
import { PROTOCOL_VERSION, ProcessExited } from '../protocol/events';
import type { OsMonitor } from '../os/osMonitor';
import type { ProcessLister } from '../os/processLister';
import { describeSurvivor, planSurvivorKill } from '../os/survivors';
import { sessionIdOf } from './sessionArguments';

export const KILL_SURVIVORS_COMMAND = 'mpscope.killSurvivors';

export interface KillSurvivorsContext {
  readonly model: Model;
  readonly monitor: OsMonitor;
  readonly list: ProcessLister;
  readonly log: vscode.LogOutputChannel;
  /** The Processes view's selection. */
  readonly selected: () => unknown;
}

export interface KillSurvivorsOptions {
  /** False skips the confirmation dialog (tests; other extensions that asked already). */
  readonly confirm?: boolean;
}

/** What the command did, pids by outcome (the command's return value). */
export interface KillSurvivorsResult {
  readonly killed: readonly number[];
  /** Ended (or became zombies) before the signal. */
  readonly ended: readonly number[];
  /** The pid now belongs to another program: left alone. */
  readonly reused: readonly number[];
  readonly failed: ReadonlyArray<{ readonly pid: number; readonly error: string }>;
}

export async function killSurvivors(
  context: KillSurvivorsContext,
  argument?: unknown,
  options: KillSurvivorsOptions = {},
): Promise<KillSurvivorsResult | undefined> {
  const { model, monitor, log } = context;
  await monitor.pollNow();
  const session = await sessionWithSurvivors(model, argument ?? context.selected());
  if (!session) {
    return undefined;
  }
  const survivors = session.survivors();
  if (survivors.length === 0) {
    void vscode.window.showInformationMessage(`mpscope: no process of "${session.label}" is still running.`);
    return { killed: [], ended: [], reused: [], failed: [] };
  }
  if (options.confirm !== false) {
    const action = 'Kill';
    const count = survivors.length === 1 ? '1 process' : `${survivors.length} processes`;
    const choice = await vscode.window.showWarningMessage(
      `Kill ${count} that outlived "${session.label}"?`,
      { modal: true, detail: `SIGKILL to:\n${survivors.map(describeSurvivor).join('\n')}` },
      action,
    );
    if (choice !== action) {
      return undefined;
    }
  }
  const plan = planSurvivorKill(survivors, await context.list());
  const killed: number[] = [];
  const ended = plan.ended.map((survivor) => survivor.pid);
  const failed: Array<{ pid: number; error: string }> = [];
  for (const survivor of plan.kill) {
    try {
      process.kill(survivor.pid, 'SIGKILL');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') {
        ended.push(survivor.pid);
      } else {
        failed.push({ pid: survivor.pid, error: error instanceof Error ? error.message : String(error) });
      }
      continue;
    }
    killed.push(survivor.pid);
    recordKill(model, session.id, survivor.pid);
  }
  await monitor.pollNow();
  const result: KillSurvivorsResult = { killed, ended, reused: plan.reused.map((survivor) => survivor.pid), failed };
  log.info(`session ${session.id}: kill survivors: ${JSON.stringify(result)}`);
  report(session, result);
  return result;
}

/** The signal's outcome as the collector's own exit record (SIGKILL cannot be caught). */
function recordKill(model: Model, sessionId: string, pid: number): void {
  const event: ProcessExited = {
    v: PROTOCOL_VERSION,
    kind: 'process.exited',
    t: Date.now() / 1000,
    pid: process.pid,
    child_pid: pid,
    reporter: 'collector',
    // Windows has no signals: TerminateProcess leaves an exit code nobody reports.
    exitcode: process.platform === 'win32' ? null : -9,
    signal: 'SIGKILL',
  };
  if (isValidEvent(event)) {
    model.ingest(sessionId, event);
  }
}

function report(session: SessionView, result: KillSurvivorsResult): void {
  const parts = [`killed ${result.killed.length}`];
  if (result.ended.length > 0) {
    parts.push(`${result.ended.length} had ended already`);
  }
  if (result.reused.length > 0) {
    parts.push(`left ${result.reused.length} alone (the pid now belongs to another program)`);
  }
  if (result.failed.length > 0) {
    const first = result.failed[0];
    void vscode.window.showWarningMessage(
      `mpscope: could not kill ${result.failed.length} of the survivors of "${session.label}" (pid ${first.pid}: ${first.error}); ${parts.join(', ')}.`,
    );
    return;
  }
  void vscode.window.showInformationMessage(`mpscope: survivors of "${session.label}": ${parts.join(', ')}.`);
}

/** The session named by the argument (or selected), else the one with survivors, else a pick. */
async function sessionWithSurvivors(model: Model, argument: unknown): Promise<SessionView | undefined> {
  const requested = sessionIdOf(argument);
  if (requested !== undefined) {
    const session = model.session(requested);
    if (!session) {
      void vscode.window.showWarningMessage('mpscope: that session was cleared.');
    }
    return session;
  }
  const candidates = model.sessions().filter((session) => session.survivors().length > 0);
  if (candidates.length <= 1) {
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('mpscope: no ended session has processes still running.');
    }
    return candidates[0];
  }
  const picked = await vscode.window.showQuickPick(
    candidates.reverse().map((session) => ({ label: session.label, description: `${session.survivors().length} still running`, session })),
    { title: 'mpscope: Kill Survivors', placeHolder: 'Which session?' },
  );
  return picked?.session;
}
