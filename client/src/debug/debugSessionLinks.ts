// Ties a collector session to the debug session it was made for. The configuration provider
// marks the resolved launch configuration with the collector session's id; VS Code hands that
// configuration to the DebugSession, so the session's start and end, and what its debug adapter
// says about the debuggee (the DAP `process` event's pid, the `exited` event's code), reach the
// model. Sessions debugpy starts for child processes are attach configurations: not ours.
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import { isValidEvent } from '../protocol/eventSchema';
import { PROTOCOL_VERSION, ProcessExited } from '../protocol/events';
import type { Collector } from '../session/collector';

/** Key of the resolved configuration that names its collector session (VS Code keeps `__` keys internal). */
export const SESSION_MARKER = '__mpscopeSessionId';

/** The debug types mpscope instruments: the Python Debugger's, and the Python extension's legacy name. */
export const PYTHON_DEBUG_TYPES: readonly string[] = ['debugpy', 'python'];

/** A resolved launch that no debug session claimed in this time was abandoned (a failed pre-launch task…). */
const ABANDONED_AFTER_MS = 10 * 60_000;

export class DebugSessionLinks implements vscode.Disposable {
  /** Collector sessions whose debug session has not started yet. */
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Debug session id → collector session id. */
  private readonly linked = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly collector: Collector,
    private readonly model: Model,
    private readonly log: vscode.LogOutputChannel,
  ) {
    for (const type of PYTHON_DEBUG_TYPES) {
      this.subscriptions.push(vscode.debug.registerDebugAdapterTrackerFactory(type, {
        createDebugAdapterTracker: (session) => this.trackerFor(session),
      }));
    }
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((session) => this.started(session)),
      vscode.debug.onDidTerminateDebugSession((session) => this.terminated(session)),
    );
  }

  /** A launch configuration was resolved for this collector session; its debug session comes next. */
  expect(sessionId: string): void {
    const timer = setTimeout(() => this.abandon(sessionId), ABANDONED_AFTER_MS);
    timer.unref?.();
    this.pending.set(sessionId, timer);
  }

  dispose(): void {
    for (const timer of this.pending.values()) {
      clearTimeout(timer);
    }
    this.pending.clear();
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }

  /** The collector session a debug session was resolved for (launches only, not child attaches). */
  private sessionIdOf(session: vscode.DebugSession): string | undefined {
    const configuration = session.configuration;
    const id = configuration[SESSION_MARKER];
    return configuration.request === 'launch' && typeof id === 'string' && this.model.session(id) ? id : undefined;
  }

  private started(session: vscode.DebugSession): void {
    const id = this.sessionIdOf(session);
    if (id === undefined) {
      return;
    }
    clearTimeout(this.pending.get(id));
    this.pending.delete(id);
    this.linked.set(session.id, id);
    this.log.info(`session ${id}: debug session "${session.name}" started`);
  }

  private terminated(session: vscode.DebugSession): void {
    const id = this.linked.get(session.id);
    if (id === undefined) {
      return;
    }
    this.linked.delete(session.id);
    this.collector.endSession(id);
    this.log.info(`session ${id}: debug session "${session.name}" ended`);
  }

  private abandon(sessionId: string): void {
    this.pending.delete(sessionId);
    if (this.model.session(sessionId)?.processCount === 0) {
      this.log.info(`session ${sessionId}: no debug session started for it; removed`);
      void this.collector.clearSession(sessionId);
    }
  }

  private trackerFor(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const id = this.sessionIdOf(session);
    if (id === undefined) {
      return undefined;
    }
    let exitCode: number | undefined;
    let reported = false;
    const report = (): void => {
      if (!reported && exitCode !== undefined) {
        reported = this.debuggeeExited(id, exitCode);
      }
    };
    return {
      onDidSendMessage: (message: unknown) => {
        const event = dapEvent(message);
        if (event?.event === 'process' && isPid(event.body?.systemProcessId)) {
          this.model.setDebuggee(id, event.body.systemProcessId);
          report();
        } else if (event?.event === 'exited' && Number.isInteger(event.body?.exitCode)) {
          exitCode = event.body?.exitCode as number;
          report();
        }
      },
      onError: (error: Error) => this.log.debug(`session ${id}: debug adapter error: ${error.message}`),
    };
  }

  /**
   * The debug adapter saw the debuggee end: the same record the terminal launcher sends for the
   * main process of a run, so the main process gets its exit code even when it could not report.
   */
  private debuggeeExited(id: string, exitcode: number): boolean {
    const session = this.model.session(id);
    const pid = session?.debuggeePid;
    if (!session || pid === null || pid === undefined) {
      return false; // applied once the `process` event names the debuggee
    }
    const event: ProcessExited = {
      v: PROTOCOL_VERSION,
      kind: 'process.exited',
      t: Date.now() / 1000,
      // The sender is the debug adapter's launcher: the debuggee's parent, when its hello said so.
      pid: session.processByPid(pid)?.osParentPid ?? process.pid,
      child_pid: pid,
      reporter: 'launcher',
      exitcode,
    };
    if (!isValidEvent(event)) {
      this.log.warn(`session ${id}: the debuggee's exit code ${exitcode} does not make a valid exit record`);
      return true;
    }
    this.model.ingest(id, event);
    return true;
  }
}

interface DapEvent {
  readonly type: 'event';
  readonly event: string;
  readonly body?: Record<string, unknown> & { readonly systemProcessId?: unknown; readonly exitCode?: unknown };
}

function dapEvent(message: unknown): DapEvent | undefined {
  if (typeof message !== 'object' || message === null) {
    return undefined;
  }
  const candidate = message as { type?: unknown; event?: unknown; body?: unknown };
  if (candidate.type !== 'event' || typeof candidate.event !== 'string') {
    return undefined;
  }
  return candidate as DapEvent;
}

function isPid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
