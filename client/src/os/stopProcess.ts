// Ending a process from the Processes view: terminate (SIGTERM, the process may clean up) or kill
// (SIGKILL, at once). POSIX sends the signal with process.kill; Windows has no such signals, so
// both run `taskkill /F` (TerminateProcess, which is what multiprocessing's own terminate() and
// kill() do there). The plan is pure and unit-tested; `stopProcess` carries it out.
import { execFile } from 'node:child_process';

export type StopMethod = 'terminate' | 'kill';

export type StopPlan =
  | { readonly kind: 'signal'; readonly pid: number; readonly signal: 'SIGTERM' | 'SIGKILL' }
  | { readonly kind: 'command'; readonly pid: number; readonly command: string; readonly args: readonly string[] };

/**
 * How to stop `pid`. Throws for a pid no view should ever signal: 0 and negative numbers mean
 * process groups to kill(2), 1 is init, and the extension host must not stop itself.
 */
export function stopPlan(platform: NodeJS.Platform, pid: number, method: StopMethod, ownPid: number = process.pid): StopPlan {
  if (!Number.isSafeInteger(pid) || pid <= 1 || pid === ownPid) {
    throw new Error(`refusing to signal pid ${pid}`);
  }
  if (platform === 'win32') {
    return { kind: 'command', pid, command: 'taskkill', args: ['/PID', String(pid), '/F'] };
  }
  return { kind: 'signal', pid, signal: method === 'kill' ? 'SIGKILL' : 'SIGTERM' };
}

/** What the signal is called in messages: `SIGKILL`, or `taskkill /F` on Windows. */
export function stopPlanText(plan: StopPlan): string {
  return plan.kind === 'signal' ? plan.signal : `${plan.command} ${plan.args.join(' ')}`;
}

export interface StopResult {
  readonly ok: boolean;
  /** The process was already gone. */
  readonly gone: boolean;
  readonly message?: string;
}

export async function stopProcess(plan: StopPlan): Promise<StopResult> {
  if (plan.kind === 'signal') {
    try {
      process.kill(plan.pid, plan.signal);
      return { ok: true, gone: false };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') {
        return { ok: false, gone: true, message: `pid ${plan.pid} has already ended` };
      }
      return { ok: false, gone: false, message: code === 'EPERM' ? `not allowed to signal pid ${plan.pid}` : String(error) };
    }
  }
  return new Promise((resolve) => {
    execFile(plan.command, [...plan.args], { windowsHide: true, timeout: 10_000 }, (error, _stdout, stderr) => {
      if (!error) {
        resolve({ ok: true, gone: false });
        return;
      }
      const text = String(stderr || error.message).trim();
      // taskkill exits 128 when the process does not exist.
      resolve({ ok: false, gone: (error as { code?: unknown }).code === 128, message: text });
    });
  });
}
