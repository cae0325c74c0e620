// Everything around the Processes view besides the tree itself: its settings, the status bar
// count, stack dumps (the dumper and the read-only documents) and the view's commands.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { GROUP_HELPERS_SETTING, HELPERS_GROUPED_CONTEXT_KEY, registerProcessCommands } from '../commands/processCommands';
import type { Model } from '../model/model';
import type { Collector } from '../session/collector';
import { StackDumper, StackDumperHost } from '../stacks/stackDumper';
import type { ProcessTreeNode, ProcessTreeProvider, TreeOptions } from './processTree';
import { DEFAULT_TREE_OPTIONS } from './processTree';
import { ProcessStatusBar } from './statusBar';
import { StacksDocuments } from './stacksDocuments';

const SLOW_TASK_SETTING = 'processes.slowTaskSeconds';
const STATUS_BAR_SETTING = 'statusBar.enable';

export interface ProcessViewContext {
  readonly model: Model;
  readonly collector: Collector;
  readonly tree: ProcessTreeProvider;
  readonly treeView: vscode.TreeView<ProcessTreeNode>;
  readonly log: vscode.LogOutputChannel;
}

export interface ProcessViewSupport {
  readonly statusBar: ProcessStatusBar;
  readonly stacks: StackDumper;
}

export function registerProcessViewSupport(context: ProcessViewContext, subscriptions: vscode.Disposable[]): ProcessViewSupport {
  const { model, collector, tree } = context;
  const applySettings = (): void => {
    const options = treeOptions();
    tree.setOptions(options);
    void vscode.commands.executeCommand('setContext', HELPERS_GROUPED_CONTEXT_KEY, options.groupHelpers);
  };
  applySettings();

  const statusBar = new ProcessStatusBar(model, vscode.workspace.getConfiguration('mpscope').get<boolean>(STATUS_BAR_SETTING, true));
  const documents = new StacksDocuments();
  const stacks = new StackDumper(model, stackDumperHost(collector));
  registerProcessCommands({ model, tree, treeView: context.treeView, stacks, documents, log: context.log }, subscriptions);

  subscriptions.push(
    statusBar,
    documents,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`mpscope.${GROUP_HELPERS_SETTING}`) || event.affectsConfiguration(`mpscope.${SLOW_TASK_SETTING}`)) {
        applySettings();
      }
      if (event.affectsConfiguration(`mpscope.${STATUS_BAR_SETTING}`)) {
        statusBar.setEnabled(vscode.workspace.getConfiguration('mpscope').get<boolean>(STATUS_BAR_SETTING, true));
      }
    }),
  );
  return { statusBar, stacks };
}

function treeOptions(): TreeOptions {
  const configuration = vscode.workspace.getConfiguration('mpscope');
  const slow = configuration.get<number>(SLOW_TASK_SETTING, DEFAULT_TREE_OPTIONS.slowTaskSeconds);
  return {
    groupHelpers: configuration.get<boolean>(GROUP_HELPERS_SETTING, DEFAULT_TREE_OPTIONS.groupHelpers),
    slowTaskSeconds: typeof slow === 'number' && Number.isFinite(slow) && slow >= 0 ? slow : DEFAULT_TREE_OPTIONS.slowTaskSeconds,
  };
}

function stackDumperHost(collector: Collector): StackDumperHost {
  return {
    stacksDir: () => collector.stacksDir(),
    realPath: (file) => fs.realpath(file),
    fileSize: async (file) => {
      try {
        return (await fs.stat(file)).size;
      } catch {
        return undefined;
      }
    },
    readFrom: async (file, offset) => {
      const handle = await fs.open(file, 'r');
      try {
        const { size } = await handle.stat();
        const length = Math.max(0, Math.min(size - offset, 16 * 1024 * 1024));
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, offset);
        return buffer.toString('utf8');
      } finally {
        await handle.close();
      }
    },
    // SIGURG is ignored by default: should the pid belong to a stranger, nothing happens to it.
    signal: (pid) => {
      if (Number.isSafeInteger(pid) && pid > 1 && pid !== process.pid) {
        process.kill(pid, 'SIGURG');
      }
    },
    send: (sessionId, pid, request) => collector.send(sessionId, pid, request),
    now: () => performance.now(),
    wallTime: () => Date.now() / 1000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
