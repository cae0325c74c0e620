// Entry point: wires the log, the model, the collector (socket), the Processes view, the
// language client and the commands, and returns the API tests and other extensions use.
// Activation only creates objects: the socket opens on the first run, the language server
// starts after activate() returns.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { MpscopeApi } from './api';
import { CLEAR_FINISHED_SESSIONS_COMMAND, clearFinishedSessions } from './commands/clearFinishedSessions';
import { RUN_FILE_COMMAND, RunFileCommand } from './commands/runFile';
import { revealCreationSite } from './commands/revealCreationSite';
import { registerSessionCommands } from './commands/sessionCommands';
import { registerDebugSupport } from './debug/registerDebugSupport';
import { LanguageClientHost } from './language/languageClient';
import { Model } from './model/model';
import { signalTableFrom } from './model/signals';
import { registerOsSupport } from './os/registerOsSupport';
import { PROTOCOL_VERSION } from './protocol/events';
import { RuntimeDiagnostics } from './runtimeErrors/runtimeDiagnostics';
import { Collector } from './session/collector';
import { modelTasks } from './timeline/taskSource';
import { formatCounters } from './session/counters';
import type { LogLevel } from './session/sessionServer';
import { PROCESSES_VIEW_ID, ProcessTreeNode, ProcessTreeProvider, REVEAL_CREATION_SITE_COMMAND } from './views/processTree';
import { registerProcessViewSupport } from './views/processViewSupport';
import { Throttle } from './views/refreshPlan';

const SHOW_LOG_COMMAND = 'mpscope.showLog';

let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): MpscopeApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('mpscope', { log: true });
  context.subscriptions.push(log);

  const model = new Model({ signals: signalTableFrom(os.constants.signals) });
  const collector = new Collector(model, {
    log: (level: LogLevel, message: string) => log[level](message),
  });

  const tree = new ProcessTreeProvider(model);
  const treeView = vscode.window.createTreeView(PROCESSES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, treeView);

  const languageClient = new LanguageClientHost(context.asAbsolutePath('dist/server.js'), log);

  const runFile = new RunFileCommand(collector, context.extensionPath, log);
  context.subscriptions.push(
    runFile,
    vscode.commands.registerCommand(RUN_FILE_COMMAND, (uri?: unknown) => runFile.run(uri)),
    vscode.commands.registerCommand(REVEAL_CREATION_SITE_COMMAND, (node?: ProcessTreeNode) => revealCreationSite(tree, node)),
    vscode.commands.registerCommand(SHOW_LOG_COMMAND, async () => {
      log.info(`collector: ${formatCounters(await collector.counters())}`);
      log.show(true);
    }),
  );

  // Debug sessions report to the tree; the OS process list completes it; failures show in the editor.
  registerDebugSupport({ collector, model, extensionPath: context.extensionPath, log }, context.subscriptions);
  registerOsSupport({ model, log, selected: () => treeView.selection[0] }, context.subscriptions);
  context.subscriptions.push(
    new RuntimeDiagnostics(model),
    vscode.commands.registerCommand(CLEAR_FINISHED_SESSIONS_COMMAND, () => clearFinishedSessions(model, collector)),
  );

  // The view's settings, status bar count, stack dumps and process actions.
  const processView = registerProcessViewSupport({ model, collector, tree, treeView, log }, context.subscriptions);

  const timeline = registerSessionCommands(
    { model, tree, treeView, extensionUri: context.extensionUri, tasks: modelTasks, log },
    context.subscriptions,
  );

  const modelChanged = new vscode.EventEmitter<void>();
  const modelChangedThrottle = new Throttle(() => modelChanged.fire(), 100);
  const unsubscribe = model.onDidChange(() => modelChangedThrottle.request());
  context.subscriptions.push(modelChanged, { dispose: () => modelChangedThrottle.dispose() }, { dispose: unsubscribe });

  shutdown = async () => {
    await Promise.allSettled([languageClient.dispose(), collector.dispose()]);
  };

  languageClient.activate();
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);

  return {
    protocolVersion: PROTOCOL_VERSION,
    processTree: tree,
    snapshot: () => model.snapshot(),
    onDidChangeModel: modelChanged.event,
    collectorCounters: () => collector.counters(),
    whenLanguageServerReady: () => languageClient.whenReady(),
    timeline: () => timeline.status(),
    statusBarText: () => processView.statusBar.shownText,
  };
}

/** Stops the language server and closes the socket (removing its private directory). */
export async function deactivate(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  await stop?.();
}
