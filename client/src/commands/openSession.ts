// mpscope.openSession: replays a `.jsonl` session file (saved by "Save Session", or written by
// `python -m mpscope run --output FILE`) into a new, finished session in the Processes view and
// the Timeline. Large files are streamed with a cancellable progress notification.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import { ReadOutcome, replayChunks, replaySessionFile } from '../sessionFile/readFile';
import { errorText } from './textFiles';

export const OPEN_SESSION_COMMAND = 'mpscope.openSession';

export interface OpenSessionHooks {
  /** Shows the new session in the Processes view. */
  readonly reveal: (sessionId: string) => Promise<void>;
  /** Opens the Timeline on a session (offered in the message). */
  readonly showTimeline: (sessionId: string) => void;
  readonly log: vscode.LogOutputChannel;
}

/** `target`: a file Uri that skips the open dialog. Returns the new session's id. */
export async function openSession(model: Model, target: unknown, hooks: OpenSessionHooks): Promise<string | undefined> {
  const uri = target instanceof vscode.Uri ? target : await askForFile();
  if (!uri) {
    return undefined;
  }
  const name = path.basename(uri.path);
  let outcome: ReadOutcome;
  try {
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `mpscope: opening ${name}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        const options = {
          cancelled: () => token.isCancellationRequested,
          progress: (bytes: number, total: number) => {
            const percent = total > 0 ? Math.floor((bytes / total) * 100) : 100;
            if (percent > reported) {
              progress.report({ increment: percent - reported, message: `${percent} %` });
              reported = percent;
            }
          },
        };
        if (uri.scheme === 'file') {
          return replaySessionFile(uri.fsPath, model, options);
        }
        const content = await vscode.workspace.fs.readFile(uri);
        return replayChunks([content], content.length, name, model, options);
      },
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`mpscope: could not read ${name}: ${errorText(error)}`);
    return undefined;
  }
  hooks.log.info(
    `opened ${uri.fsPath}: ${outcome.lines} lines, ${outcome.events} events, ${outcome.closings} stream closings, ${outcome.processes} processes${outcome.skipped > 0 ? `; ${outcome.skippedText}` : ''}${outcome.cancelled ? ' (cancelled)' : ''}`,
  );
  if (outcome.sessionId === undefined) {
    void vscode.window.showErrorMessage(
      `mpscope: ${name} holds no mpscope events${outcome.skipped > 0 ? ` (${outcome.skippedText})` : ''}. Open a file saved with "mpscope: Save Session" or written by "python -m mpscope run --output FILE".`,
    );
    return undefined;
  }
  const sessionId = outcome.sessionId;
  await hooks.reveal(sessionId).catch((error: unknown) => hooks.log.warn(`could not reveal the opened session: ${errorText(error)}`));
  void report(name, outcome).then((choice) => {
    if (choice === SHOW_TIMELINE) {
      hooks.showTimeline(sessionId);
    }
  });
  return sessionId;
}

const SHOW_TIMELINE = 'Show Timeline';

function report(name: string, outcome: ReadOutcome): Thenable<string | undefined> {
  const processes = outcome.processes === 1 ? '1 process' : `${outcome.processes} processes`;
  const what = `${outcome.events.toLocaleString('en-US')} events, ${processes}`;
  const problems: string[] = [];
  if (outcome.skipped > 0) {
    problems.push(`${outcome.skippedText}`);
  }
  if (outcome.cancelled) {
    problems.push('reading was cancelled, so only the start of the file was replayed');
  }
  if (outcome.droppedWhenSaved > 0) {
    problems.push(`the file is incomplete: ${outcome.droppedWhenSaved.toLocaleString('en-US')} events were past the recording limit when it was saved`);
  }
  if (problems.length > 0) {
    return vscode.window.showWarningMessage(`mpscope: opened ${name} (${what}), but ${problems.join('; ')}.`, SHOW_TIMELINE);
  }
  return vscode.window.showInformationMessage(`mpscope: opened ${name} (${what}).`, SHOW_TIMELINE);
}

async function askForFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'mpscope: Open Saved Session',
    canSelectMany: false,
    canSelectFolders: false,
    openLabel: 'Open Session',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'mpscope session (JSON lines)': ['jsonl', 'ndjson', 'json'], 'All files': ['*'] },
  });
  return picked?.[0];
}
