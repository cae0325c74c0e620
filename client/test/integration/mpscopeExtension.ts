// Access to the extension under test and to the workspace (a temporary copy of samples/).
import * as path from 'path';
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import type { SessionSnapshot } from '../../src/model/types';

export const extensionId = 'mpscope.mpscope';

export async function activateMpscope(): Promise<MpscopeApi> {
  const extension = vscode.extensions.getExtension<MpscopeApi>(extensionId);
  if (!extension) throw new Error(`extension ${extensionId} is not loaded in this extension host`);
  const api = await extension.activate();
  if (!api || typeof api.snapshot !== 'function') throw new Error(`${extensionId} activated without returning its API`);
  return api;
}

/** Sessions held by the model, oldest first. */
export function sessionsOf(api: MpscopeApi): readonly SessionSnapshot[] {
  const sessions = api.snapshot();
  if (!Array.isArray(sessions)) throw new Error(`api.snapshot() did not return an array: ${JSON.stringify(sessions)}`);
  return sessions;
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open (the test run opens a copy of samples/)');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

export async function openInEditor(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document, { preview: false });
}
