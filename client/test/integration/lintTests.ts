// MP001 (missing main guard) as a user meets it: a diagnostic in the editor and a quick fix.
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import { openInEditor, workspaceFile } from './mpscopeExtension';
import type { IntegrationTest } from './runner';
import { screenshot } from './screenshot';
import { waitFor } from './wait';

const guardPattern = /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/m;

function diagnosticCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** executeCodeActionProvider returns CodeActions and bare Commands (whose `command` is a string). */
function isCodeAction(action: vscode.CodeAction | vscode.Command): action is vscode.CodeAction {
  return typeof action.command !== 'string';
}

function mpscopeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'mpscope');
}

function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return 'no diagnostics';
  return all.map((d) => `${d.source}/${diagnosticCode(d)} line ${d.range.start.line + 1}: ${d.message}`).join('; ');
}

function waitForMissingGuard(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `MP001 on ${uri.fsPath}`,
    () => {
      const found = mpscopeDiagnostics(uri).filter((d) => diagnosticCode(d) === 'MP001');
      return found.length > 0 ? found : undefined;
    },
    { timeoutMs: 60_000, describeLast: () => describeDiagnostics(uri) },
  );
}

export function lintTests(api: MpscopeApi): IntegrationTest[] {
  const missingGuard = workspaceFile('missing_guard.py');
  const guarded = workspaceFile('guarded_process.py');

  return [
    {
      name: 'the language server starts',
      run: () => api.whenLanguageServerReady(),
    },
    {
      name: 'MP001 marks the module-level call in missing_guard.py, and a guarded file stays clean',
      run: async () => {
        // The guarded file is opened first: the server lints documents in the order they are
        // opened, so once missing_guard.py has its diagnostic the guarded file has been linted.
        await openInEditor('guarded_process.py');
        const editor = await openInEditor('missing_guard.py');
        const diagnostics = await waitForMissingGuard(missingGuard);
        for (const diagnostic of diagnostics) {
          if (diagnostic.severity !== vscode.DiagnosticSeverity.Error) {
            throw new Error(`MP001 should be an error, got severity ${vscode.DiagnosticSeverity[diagnostic.severity]}`);
          }
          if (!/main guard/i.test(diagnostic.message)) throw new Error(`unexpected MP001 message: ${diagnostic.message}`);
          const line = editor.document.lineAt(diagnostic.range.start.line).text;
          if (/^\s/.test(line)) throw new Error(`MP001 is on an indented line, not a module-level statement: ${JSON.stringify(line)}`);
          const flagged = editor.document.getText(diagnostic.range);
          if (!/\(/.test(flagged)) throw new Error(`MP001's range should cover the call, it covers ${JSON.stringify(flagged)}`);
        }
        await screenshot('mp001-diagnostic');
        const onGuarded = mpscopeDiagnostics(guarded);
        if (onGuarded.length > 0) throw new Error(`guarded_process.py should have no mpscope diagnostics: ${describeDiagnostics(guarded)}`);
      },
    },
    {
      name: 'the MP001 quick fix wraps the process-starting statements in a main guard',
      run: async () => {
        const editor = await openInEditor('missing_guard.py');
        const document = editor.document;
        const original = document.getText();
        const [diagnostic] = await waitForMissingGuard(missingGuard);
        const flaggedLine = document.lineAt(diagnostic.range.start.line).text.trim();
        const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          missingGuard,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        // The command's result drops each action's `diagnostics`, so the fix is found by its title.
        const fix = (actions ?? [])
          .filter(isCodeAction)
          .find((action) => action.edit !== undefined && /__main__/.test(action.title));
        if (!fix?.edit) {
          throw new Error(`no quick fix with an edit for MP001; offered: ${(actions ?? []).map((a) => a.title).join(', ') || 'nothing'}`);
        }
        if (!(await vscode.workspace.applyEdit(fix.edit))) throw new Error(`applying "${fix.title}" failed`);
        try {
          const fixed = document.getText();
          if (!guardPattern.test(fixed)) throw new Error(`no main guard after the fix:\n${fixed}`);
          const fixedLines = fixed.split(/\r?\n/);
          const guardLine = fixedLines.findIndex((line) => guardPattern.test(line));
          const moved = fixedLines.findIndex((line, index) => index > guardLine && line.trim() === flaggedLine);
          if (moved < 0 || !/^\s+\S/.test(fixedLines[moved])) {
            throw new Error(`the flagged statement ${JSON.stringify(flaggedLine)} is not indented under the guard:\n${fixed}`);
          }
          // Imports and definitions stay at module level, where child processes need them.
          for (const line of original.split(/\r?\n/)) {
            if (/^(import |from \S+ import |def |class )/.test(line) && !fixedLines.includes(line)) {
              throw new Error(`${JSON.stringify(line)} was moved or re-indented by the fix:\n${fixed}`);
            }
          }
          await waitFor(
            'MP001 to clear after the fix',
            () => (mpscopeDiagnostics(missingGuard).some((d) => diagnosticCode(d) === 'MP001') ? undefined : true),
            { timeoutMs: 60_000, describeLast: () => describeDiagnostics(missingGuard) },
          );
        } finally {
          // The workspace is a scratch copy, but later tests should see the file as shipped.
          await vscode.window.showTextDocument(document);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
      },
    },
  ];
}
