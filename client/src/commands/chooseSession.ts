// Which session a session command (save, export, timeline) is about: the one it was invoked on
// (a tree node, or a session id from another extension or a test), else the one selected in the
// Processes view, else the only one, else the user picks.
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import type { SessionView } from '../model/session';
import { sessionDescription } from '../views/processPresentation';
import { sessionIdOf } from './sessionArguments';


export interface ChooseOptions {
  /** What the command does, for the picker's title: "Save Session". */
  readonly purpose: string;
  /** The Processes view's selection, if any. */
  readonly selected: () => unknown;
}

export async function chooseSession(model: Model, argument: unknown, options: ChooseOptions): Promise<SessionView | undefined> {
  const requested = sessionIdOf(argument);
  if (requested !== undefined) {
    const session = model.session(requested);
    if (!session) {
      void vscode.window.showWarningMessage(`mpscope: that session was cleared; ${options.purpose.toLowerCase()} needs a session in the Processes view.`);
    }
    return session;
  }
  const sessions = model.sessions();
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage(
      `mpscope: no session yet. Run a Python file with "mpscope: Run Python File with Process Tree" or open a saved session first.`,
    );
    return undefined;
  }
  const selected = model.session(sessionIdOf(options.selected()) ?? '');
  if (selected) {
    return selected;
  }
  if (sessions.length === 1) {
    return sessions[0];
  }
  const items = [...sessions].reverse().map((session) => ({
    label: session.label,
    description: sessionDescription(session),
    detail: new Date(session.startedAt * 1000).toLocaleString(),
    session,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: `mpscope: ${options.purpose}`, placeHolder: 'Which session?' });
  return picked?.session;
}
