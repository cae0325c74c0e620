// mpscope.runFile, "Run Python File with Process Tree": runs a Python file in an integrated
// terminal (so its output shows there and input() works) through the mpscope launcher, with
// a new session whose processes fill the Processes view live.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findOnPath, Interpreter, selectInterpreter } from '../python/interpreter';
import { pythonExtensionInterpreter } from '../python/pythonExtension';
import type { Collector } from '../session/collector';
import type { SessionCredentials } from '../session/sessionServer';
import { runtimeOptionsFromSettings } from '../session/runtimeSettings';
import { PROCESSES_VIEW_ID } from '../views/processTree';
import { launcherArgv, runEnvironment } from './runPlan';
import { commandLine, shellKindFor } from './shellCommand';

export const RUN_FILE_COMMAND = 'mpscope.runFile';

export class RunFileCommand implements vscode.Disposable {
  /** Terminals of runs whose session is still open. */
  private readonly terminals = new Map<vscode.Terminal, string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly collector: Collector,
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.window.onDidCloseTerminal((terminal) => {
        const sessionId = this.terminals.get(terminal);
        if (sessionId !== undefined) {
          this.terminals.delete(terminal);
          // Closing the terminal ends the program; whatever did not report stays as it is.
          this.collector.endSession(sessionId);
        }
      }),
    );
  }

  /** Runs the file and returns the new session's id (undefined when nothing was started). */
  async run(argument?: unknown): Promise<string | undefined> {
    const target = await this.targetFile(argument);
    if (!target) {
      return undefined;
    }
    const interpreter = await this.interpreterFor(target);
    if (!interpreter) {
      const action = 'Open Settings';
      const choice = await vscode.window.showErrorMessage(
        'mpscope: no Python interpreter found. Install Python (python3 on PATH), select one with the Python extension, or set "mpscope.pythonPath".',
        action,
      );
      if (choice === action) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'mpscope.pythonPath');
      }
      return undefined;
    }
    const file = target.fsPath;
    const name = path.basename(file);
    let credentials: SessionCredentials;
    try {
      credentials = await this.collector.startSession({ label: name, kind: 'run' });
    } catch (error) {
      void vscode.window.showErrorMessage(
        `mpscope: cannot open the local socket the program reports to (${error instanceof Error ? error.message : String(error)}). See "mpscope: Show Log".`,
      );
      return undefined;
    }
    const env = runEnvironment({
      platform: process.platform,
      sessionEnv: credentials.env,
      runtimeDir: path.join(this.extensionPath, 'runtime'),
      existingPythonPath: process.env.PYTHONPATH,
      runtimeOptions: {
        ...runtimeOptionsFromSettings(vscode.workspace.getConfiguration('mpscope.runtime', vscode.Uri.file(file))),
        ...credentials.runtimeOptions,
      },
      existingOptions: process.env.MPSCOPE_OPTIONS,
    });
    const terminal = vscode.window.createTerminal({
      name: `mpscope: ${name}`,
      cwd: path.dirname(file),
      env,
      iconPath: new vscode.ThemeIcon('type-hierarchy'),
    });
    this.terminals.set(terminal, credentials.sessionId);
    const shell = shellKindFor(vscode.env.shell, process.platform);
    const line = commandLine(launcherArgv(interpreter.command, file), shell);
    this.log.info(`session ${credentials.sessionId}: running ${file} with ${interpreter.command.join(' ')} (${interpreter.source}), ${shell} shell`);
    try {
      await vscode.commands.executeCommand(`${PROCESSES_VIEW_ID}.focus`);
    } catch (error) {
      this.log.warn(`could not reveal the Processes view: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The terminal gets the focus last, so input() can be answered right away.
    terminal.show(false);
    terminal.sendText(line, true);
    return credentials.sessionId;
  }

  dispose(): void {
    for (const disposable of this.subscriptions) {
      disposable.dispose();
    }
    this.terminals.clear();
  }

  /** The file to run: a Uri argument (editor title, explorer), else the active editor's file. */
  private async targetFile(argument: unknown): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    const fromEditor = active && (active.languageId === 'python' || /\.pyw?$/i.test(active.uri.path)) ? active.uri : undefined;
    const uri = argument instanceof vscode.Uri ? argument : fromEditor;
    if (!uri) {
      void vscode.window.showInformationMessage('mpscope: open a Python file to run it with the process tree.');
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('mpscope: save the file to disk first; only files on disk can run.');
      return undefined;
    }
    if (document?.isDirty && !(await document.save())) {
      void vscode.window.showWarningMessage(`mpscope: could not save ${path.basename(uri.fsPath)}; not running it.`);
      return undefined;
    }
    return uri;
  }

  private interpreterFor(file: vscode.Uri): Promise<Interpreter | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(file);
    return selectInterpreter({
      platform: process.platform,
      setting: vscode.workspace.getConfiguration('mpscope', file).get<string>('pythonPath'),
      workspaceFolder: folder?.uri.fsPath,
      homeDir: os.homedir(),
      pythonExtension: () => pythonExtensionInterpreter(file),
      findOnPath: (name) =>
        findOnPath(name, { platform: process.platform, pathEnv: process.env.PATH, pathExt: process.env.PATHEXT }),
    });
  }
}
