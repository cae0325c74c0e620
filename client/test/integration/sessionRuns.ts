// Starting runs and debug sessions of the samples, and waiting on the session the model holds
// for them (by id: the model may hold many sessions).
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import type { ProcessSnapshot, SessionSnapshot } from '../../src/model/types';
import { openInEditor, sessionsOf, workspaceFile } from './mpscopeExtension';
import { waitFor } from './wait';

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function sessionById(api: MpscopeApi, id: string): SessionSnapshot | undefined {
  return sessionsOf(api).find((session) => session.id === id);
}

/**
 * Resolves once the model has been quiet for `quietMs` (at most `limitMs`): the views have then
 * drawn what it holds. For screenshots only; assertions wait on conditions instead.
 */
export async function quiet(api: MpscopeApi, quietMs = 600, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last = Date.now();
  const subscription = api.onDidChangeModel(() => {
    last = Date.now();
  });
  try {
    while (Date.now() < deadline && Date.now() - last < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    subscription.dispose();
  }
}

/**
 * Clears the ended sessions, so that the next session is the first item of the Processes view
 * (where its screenshot shows it).
 */
export async function clearFinishedSessions(): Promise<void> {
  await vscode.commands.executeCommand('mpscope.clearFinishedSessions');
}

/** "Run Python File with Process Tree" on a sample; returns the new session's id. */
export async function runSample(file: string): Promise<string> {
  await openInEditor(file);
  const id = await vscode.commands.executeCommand<string | undefined>('mpscope.runFile', workspaceFile(file));
  assert(typeof id === 'string', `mpscope.runFile on ${file} started no session`);
  return id;
}

export function describeProcess(p: ProcessSnapshot): string {
  const exit = p.exit ? ` exit=${p.exit.exitcode} signal=${p.exit.signal ?? '-'} by=${p.exit.reporters.join('+')}` : '';
  const os = p.os ? ` os=[${p.os.command} ppid ${p.os.ppid}${p.os.zombie ? ' zombie' : ''}${p.os.vanishedAt !== null ? ' vanished' : ''}]` : '';
  return `${p.key} ${p.name} role=${p.role ?? '-'} parent=${p.parentKey ?? '-'} state=${p.state}${p.orphaned ? ' orphaned' : ''}${p.external ? ' external' : ''}${exit}${os}`;
}

export function describeSession(session: SessionSnapshot | undefined): string {
  if (!session) return 'no such session';
  return [
    `session ${session.id} "${session.label}" kind=${session.kind} ended=${session.endedAt !== null} survivors=[${session.survivors.join(', ')}]`,
    ...session.processes.map(describeProcess),
  ].join('\n');
}

/**
 * Waits until `check` finds the session as expected: it returns a value (done) or a string
 * saying what is still missing (shown on timeout with the session's state).
 */
export async function waitForSession<T>(
  api: MpscopeApi,
  id: string,
  what: string,
  check: (session: SessionSnapshot) => T | string,
  timeoutMs = 90_000,
): Promise<T> {
  let problem = '';
  return waitFor(
    what,
    () => {
      const session = sessionById(api, id);
      if (!session) {
        problem = 'the session is not in the model';
        return undefined;
      }
      const result = check(session);
      if (typeof result === 'string') {
        problem = result;
        return undefined;
      }
      return result;
    },
    { timeoutMs, describeLast: () => `${problem}\n${describeSession(sessionById(api, id))}` },
  );
}

/** The main process of a session (its root with role `main`). */
export function mainOf(session: SessionSnapshot): ProcessSnapshot | undefined {
  return session.processes.find((p) => p.parentKey === null && p.role === 'main');
}
