// Runtime errors in the editor: a crashing child puts Error diagnostics (source "mpscope
// (runtime)") on the line that raised and on the def of its target; the next run clears them.
import * as vscode from 'vscode';
import type { MpscopeApi } from '../../src/api';
import { workspaceFile } from './mpscopeExtension';
import type { IntegrationTest } from './runner';
import { screenshot } from './screenshot';
import { assert, runSample, waitForSession } from './sessionRuns';
import { waitFor } from './wait';

const SOURCE = 'mpscope (runtime)';

function runtimeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

/** The 0-based line of the first line of `uri` that matches. */
async function lineOf(uri: vscode.Uri, pattern: RegExp): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  for (let line = 0; line < document.lineCount; line++) {
    if (pattern.test(document.lineAt(line).text)) return line;
  }
  throw new Error(`no line of ${uri.fsPath} matches ${pattern}`);
}

export function runtimeDiagnosticsTests(api: MpscopeApi): IntegrationTest[] {
  return [
    {
      name: 'Runtime errors: a failing Pool task marks the raising line and the task function\'s def, naming the worker',
      timeoutMs: 180_000,
      run: async () => {
        const file = workspaceFile('pool_failing_task.py');
        const raiseLine = await lineOf(file, /return int\(text\)/);
        const defLine = await lineOf(file, /^def parse\(/);
        const id = await runSample('pool_failing_task.py');
        const diagnostics = await waitFor(
          'runtime diagnostics on pool_failing_task.py',
          () => {
            const found = runtimeDiagnostics(file);
            return found.length === 2 ? found : undefined;
          },
          { timeoutMs: 60_000, describeLast: () => JSON.stringify(runtimeDiagnostics(file).map((d) => [d.range.start.line, d.message])) },
        );
        const raised = diagnostics.find((d) => d.range.start.line === raiseLine);
        const def = diagnostics.find((d) => d.range.start.line === defLine);
        assert(raised && def, `expected diagnostics on lines ${raiseLine + 1} and ${defLine + 1}, got ${diagnostics.map((d) => d.range.start.line + 1).join(', ')}`);
        assert(/^ValueError: invalid literal for int\(\) with base 10: 'x' — raised by a task in /.test(raised.message), `message: ${raised.message}`);
        assert(/failed in parse\(\): ValueError/.test(def.message), `message: ${def.message}`);
        const pid = Number(/\(pid (\d+)\)/.exec(raised.message)?.[1]);
        const session = await waitForSession(api, id, 'pool_failing_task.py to end', (s) => (s.endedAt !== null ? s : 'running'));
        const worker = session.processes.find((p) => p.pid === pid);
        assert(worker?.role === 'pool-worker' && raised.message.includes(`${worker.name} (pid ${pid})`), `the message names pid ${pid}, which is not a worker: ${worker?.name} ${worker?.role}`);
      },
    },
    {
      name: 'Runtime errors: a crashing child marks the raising line and its target\'s def; the next run clears them',
      timeoutMs: 180_000,
      run: async () => {
        const crashing = workspaceFile('crashing_child.py');
        const raiseLine = await lineOf(crashing, /raise ValueError\("boom"\)/);
        const defLine = await lineOf(crashing, /^def fail\(/);
        const id = await runSample('crashing_child.py');
        const child = await waitForSession(api, id, 'the crashing child to fail', (s) => {
          const failed = s.processes.find((p) => p.exit?.exception?.type === 'ValueError');
          return failed ?? 'no process failed with ValueError yet';
        });
        const diagnostics = await waitFor(
          'runtime diagnostics on crashing_child.py',
          () => {
            const found = runtimeDiagnostics(crashing);
            return found.length === 2 ? found : undefined;
          },
          { timeoutMs: 30_000, describeLast: () => JSON.stringify(runtimeDiagnostics(crashing).map((d) => [d.range.start.line, d.message])) },
        );
        const raised = diagnostics.find((d) => d.range.start.line === raiseLine);
        const def = diagnostics.find((d) => d.range.start.line === defLine);
        assert(raised && def, `expected diagnostics on lines ${raiseLine + 1} and ${defLine + 1}, got ${diagnostics.map((d) => d.range.start.line + 1).join(', ')}`);
        for (const diagnostic of [raised, def]) {
          assert(diagnostic.severity === vscode.DiagnosticSeverity.Error, `severity ${diagnostic.severity}`);
          assert(diagnostic.message.includes('ValueError: boom'), `message: ${diagnostic.message}`);
          assert(diagnostic.message.includes(`${child.name} (pid ${child.pid})`), `message does not name the process: ${diagnostic.message}`);
        }
        assert(raised.range.start.character === 4, `the raise is marked from column ${raised.range.start.character}`);
        assert(raised.relatedInformation?.[0]?.location.range.start.line === defLine, 'the raise does not point at the def');
        await vscode.window.showTextDocument(crashing, { selection: raised.range });
        await screenshot('runtime-diagnostics');

        // The next run starts afresh, before it has even ended.
        const next = await runSample('guarded_process.py');
        await waitFor('the runtime diagnostics to be cleared', () => (runtimeDiagnostics(crashing).length === 0 ? true : undefined), { timeoutMs: 30_000 });
        await waitForSession(api, next, 'guarded_process.py to end', (s) => (s.endedAt !== null ? true : 'running'));
        assert(runtimeDiagnostics(crashing).length === 0, 'the diagnostics came back');
      },
    },
  ];
}
