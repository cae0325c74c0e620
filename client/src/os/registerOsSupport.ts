// The operating system's view of the sessions: the poller that feeds the model, and the
// "Kill Survivors" command that acts on what it found.
import * as vscode from 'vscode';
import { KILL_SURVIVORS_COMMAND, killSurvivors, KillSurvivorsOptions } from '../commands/killSurvivors';
import type { Model } from '../model/model';
import { OsMonitor } from './osMonitor';
import { systemProcessLister } from './processLister';

export interface OsSupportContext {
  readonly model: Model;
  readonly log: vscode.LogOutputChannel;
  /** The Processes view's selection. */
  readonly selected: () => unknown;
}

export function registerOsSupport(context: OsSupportContext, subscriptions: vscode.Disposable[]): OsMonitor {
  const list = systemProcessLister();
  const monitor = new OsMonitor({ model: context.model, list, log: (level, message) => context.log[level](message) });
  subscriptions.push(
    { dispose: () => monitor.dispose() },
    vscode.commands.registerCommand(KILL_SURVIVORS_COMMAND, (session?: unknown, options?: KillSurvivorsOptions) =>
      killSurvivors({ model: context.model, monitor, list, log: context.log, selected: context.selected }, session, options)),
  );
  return monitor;
}
