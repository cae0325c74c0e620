// mpscope.saveSession: writes every event a session received (and the closings of its
// processes' streams), in arrival order, as JSON lines that "Open Saved Session" replays.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import { SESSION_FILE_EXTENSION } from '../sessionFile/format';
import { chunked, sessionFileLines } from '../sessionFile/writer';
import { chooseSession } from './chooseSession';
import { fileStem } from './sessionArguments';
import { errorText, suggestedUri, writeChunks } from './textFiles';

export const SAVE_SESSION_COMMAND = 'mpscope.saveSession';

/**
 * `session`: a tree node or session id (else the selection, the only session, or a pick);
 * `target`: a file Uri that skips the save dialog (for tests and other extensions).
 * Returns the file written, or undefined when nothing was saved.
 */
export async function saveSession(model: Model, session: unknown, target: unknown, selected: () => unknown): Promise<vscode.Uri | undefined> {
  const chosen = await chooseSession(model, session, { purpose: 'Save Session', selected });
  const recording = chosen && model.recording(chosen.id);
  if (!chosen || !recording) {
    return undefined;
  }
  const uri =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          title: `mpscope: Save Session "${chosen.label}"`,
          defaultUri: suggestedUri(`${fileStem(chosen.label)}.${SESSION_FILE_EXTENSION}`),
          filters: { 'mpscope session (JSON lines)': [SESSION_FILE_EXTENSION] },
          saveLabel: 'Save Session',
        });
  if (!uri) {
    return undefined;
  }
  try {
    await writeChunks(uri, chunked(sessionFileLines(chosen, recording, Date.now() / 1000)));
  } catch (error) {
    void vscode.window.showErrorMessage(`mpscope: could not save the session to ${uri.fsPath}: ${errorText(error)}`);
    return undefined;
  }
  const name = path.basename(uri.fsPath);
  const items = recording.items.length;
  if (!recording.complete) {
    void vscode.window.showWarningMessage(
      `mpscope: saved the first ${items.toLocaleString('en-US')} events of "${chosen.label}" to ${name}; ${recording.dropped.toLocaleString('en-US')} later ones were not kept (the session exceeded mpscope's recording limit), so a replay stops where the recording stopped.`,
    );
  } else if (chosen.endedAt === null) {
    void vscode.window.showInformationMessage(
      `mpscope: saved ${items.toLocaleString('en-US')} events of "${chosen.label}" to ${name}. The program is still running: the file holds what arrived so far.`,
    );
  } else {
    void vscode.window.showInformationMessage(`mpscope: saved ${items.toLocaleString('en-US')} events of "${chosen.label}" to ${name}.`);
  }
  return uri;
}
