// mpscope.revealCreationSite: opens the file at the line where the user's code created what a
// tree node shows (a Process, a Pool), or where a failed task raised.
import * as vscode from 'vscode';
import type { Site } from '../model/types';
import type { ProcessTreeNode, ProcessTreeProvider } from '../views/processTree';
import { resolveSitePath } from './sitePath';

export async function revealCreationSite(tree: ProcessTreeProvider, node: ProcessTreeNode | undefined): Promise<void> {
  if (!node) {
    void vscode.window.showInformationMessage('mpscope: select a process, pool or task in the Processes view first.');
    return;
  }
  const found = tree.siteOf(node);
  if (!found) {
    const process = tree.processOf(node)?.process;
    void vscode.window.showInformationMessage(
      process
        ? `mpscope: no creation site is known for ${process.name} (pid ${process.pid}); only processes started through multiprocessing have one.`
        : 'mpscope: no source location is known for this item.',
    );
    return;
  }
  await openSite(found.site, found.cwd);
}

export async function openSite(site: Site, cwd: string | null): Promise<void> {
  const file = resolveSitePath(site.file, cwd);
  if (!file) {
    void vscode.window.showInformationMessage(`mpscope: ${site.file} is not a file that can be opened.`);
    return;
  }
  try {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    // The file may have changed since the run: stay inside it.
    const line = Math.min(Math.max(0, site.line - 1), document.lineCount - 1);
    const text = document.lineAt(line);
    await vscode.window.showTextDocument(document, {
      selection: new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.range.end.character),
      preview: true,
    });
  } catch (error) {
    void vscode.window.showWarningMessage(
      `mpscope: cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
