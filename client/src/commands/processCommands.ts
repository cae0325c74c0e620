// The Processes view's own commands: terminate or kill a process (after a confirmation), copy its
// pid, dump the stacks of one process or of every process of a session into a read-only editor,
// filter the view, and group or ungroup helper processes.
import * as vscode from 'vscode';
import { isSignallable } from '../model/liveness';
import type { Model } from '../model/model';
import { aliveInOs } from '../model/osSnapshot';
import type { SessionView } from '../model/session';
import type { ProcessSnapshot } from '../model/types';
import { workingDirectory } from '../model/workingDirectory';
import { StopMethod, stopPlan, stopPlanText, stopProcess } from '../os/stopProcess';
import { askableProcesses, StackDumper } from '../stacks/stackDumper';
import { stacksText } from '../stacks/stacksText';
import { parseFilter } from '../views/processFilter';
import { PROCESSES_VIEW_ID, ProcessTreeNode, ProcessTreeProvider } from '../views/processTree';
import type { StacksDocuments } from '../views/stacksDocuments';
import { chooseSession } from './chooseSession';
import { sessionIdOf } from './sessionArguments';

export const TERMINATE_PROCESS_COMMAND = 'mpscope.terminateProcess';
export const KILL_PROCESS_COMMAND = 'mpscope.killProcess';
export const COPY_PID_COMMAND = 'mpscope.copyPid';
export const DUMP_STACKS_COMMAND = 'mpscope.dumpStacks';
export const DUMP_SESSION_STACKS_COMMAND = 'mpscope.dumpSessionStacks';
export const FILTER_COMMAND = 'mpscope.filterProcesses';
export const CLEAR_FILTER_COMMAND = 'mpscope.clearProcessFilter';
export const GROUP_HELPERS_COMMAND = 'mpscope.groupHelpers';
export const UNGROUP_HELPERS_COMMAND = 'mpscope.ungroupHelpers';

/** Context key: the view has a filter (shows "Clear Filter"). */
export const FILTERED_CONTEXT_KEY = 'mpscope.processes.filtered';
/** Context key: helpers are grouped (shows the command that ungroups them, and the reverse). */
export const HELPERS_GROUPED_CONTEXT_KEY = 'mpscope.processes.helpersGrouped';
export const GROUP_HELPERS_SETTING = 'processes.groupHelpers';

export interface ProcessCommandsContext {
  readonly model: Model;
  readonly tree: ProcessTreeProvider;
  readonly treeView: vscode.TreeView<ProcessTreeNode>;
  readonly stacks: StackDumper;
  readonly documents: StacksDocuments;
  readonly log: vscode.LogOutputChannel;
}

/** Options other extensions and tests may pass after the node. */
export interface ActionOptions {
  /** False skips the confirmation dialog. */
  readonly confirm?: boolean;
}

export interface StopOutcome {
  readonly pid: number;
  /** `SIGKILL`, `SIGTERM`, or the taskkill command on Windows. */
  readonly sent: string;
  readonly ok: boolean;
  readonly message?: string;
}

export function registerProcessCommands(context: ProcessCommandsContext, subscriptions: vscode.Disposable[]): void {
  const { tree, treeView } = context;
  const selected = (): ProcessTreeNode | undefined => treeView.selection[0];

  const showFilter = (): void => {
    const filter = tree.filter;
    treeView.description = filter ? `filter: ${filter.text}` : undefined;
    treeView.message = filter && tree.visibleCount() === 0 ? `No process matches "${filter.text}".` : undefined;
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT_KEY, filter !== undefined);
  };

  subscriptions.push(
    vscode.commands.registerCommand(TERMINATE_PROCESS_COMMAND, (node?: unknown, options?: ActionOptions) =>
      stop(context, node ?? selected(), 'terminate', options)),
    vscode.commands.registerCommand(KILL_PROCESS_COMMAND, (node?: unknown, options?: ActionOptions) =>
      stop(context, node ?? selected(), 'kill', options)),
    vscode.commands.registerCommand(COPY_PID_COMMAND, async (node?: unknown) => {
      const found = processOfNode(context, node ?? selected());
      if (!found) {
        void vscode.window.showInformationMessage('mpscope: select a process in the Processes view first.');
        return undefined;
      }
      await vscode.env.clipboard.writeText(String(found.process.pid));
      return found.process.pid;
    }),
    vscode.commands.registerCommand(DUMP_STACKS_COMMAND, (node?: unknown) => dumpStacks(context, node ?? selected())),
    vscode.commands.registerCommand(DUMP_SESSION_STACKS_COMMAND, async (session?: unknown) => {
      const chosen = await chooseSession(context.model, session, { purpose: 'Dump Stacks', selected });
      return chosen ? dumpSession(context, chosen, undefined) : undefined;
    }),
    vscode.commands.registerCommand(FILTER_COMMAND, async (text?: unknown) => {
      const typed = typeof text === 'string'
        ? text
        : await vscode.window.showInputBox({
          title: 'mpscope: Filter Processes',
          prompt: 'Words that must all match a process: its state (failed, killed, zombie…), the start of its pid, or part of its name, target, role or exception',
          placeHolder: 'e.g. failed   or   worker 42',
          value: tree.filter?.text ?? '',
        });
      if (typed === undefined) {
        return;
      }
      tree.setFilter(parseFilter(typed));
      showFilter();
    }),
    vscode.commands.registerCommand(CLEAR_FILTER_COMMAND, () => {
      tree.setFilter(undefined);
      showFilter();
    }),
    // The "no match" message follows the model while a filter is on.
    tree.onDidChangeTreeData(() => {
      if (tree.filter) {
        showFilter();
      }
    }),
    vscode.commands.registerCommand(GROUP_HELPERS_COMMAND, () => setGroupHelpers(true)),
    vscode.commands.registerCommand(UNGROUP_HELPERS_COMMAND, () => setGroupHelpers(false)),
  );
  showFilter();
}

async function setGroupHelpers(grouped: boolean): Promise<void> {
  // The setting is the single source; the tree follows it (see extension.ts).
  await vscode.workspace.getConfiguration('mpscope').update(GROUP_HELPERS_SETTING, grouped, vscode.ConfigurationTarget.Global);
}

function processOfNode(context: ProcessCommandsContext, node: unknown): { session: SessionView; process: ProcessSnapshot } | undefined {
  if (typeof node !== 'object' || node === null || (node as { type?: unknown }).type !== 'process') {
    return undefined;
  }
  return context.tree.processOf(node as ProcessTreeNode);
}

async function stop(context: ProcessCommandsContext, node: unknown, method: StopMethod, options: ActionOptions = {}): Promise<StopOutcome | undefined> {
  const found = processOfNode(context, node);
  if (!found) {
    void vscode.window.showInformationMessage('mpscope: select a running process in the Processes view first.');
    return undefined;
  }
  const { process } = found;
  if (!isSignallable(process, aliveInOs(process))) {
    void vscode.window.showInformationMessage(`mpscope: ${process.name} (pid ${process.pid}) has already ended (${process.state}).`);
    return undefined;
  }
  let plan;
  try {
    plan = stopPlan(globalThis.process.platform, process.pid, method);
  } catch (error) {
    void vscode.window.showWarningMessage(`mpscope: ${error instanceof Error ? error.message : String(error)}.`);
    return undefined;
  }
  const sent = stopPlanText(plan);
  if (options.confirm !== false) {
    const action = method === 'kill' ? 'Kill' : 'Terminate';
    const detail = method === 'kill'
      ? `${sent} ends it at once: it cannot clean up, and a queue or lock it holds may be left broken for the other processes.`
      : `${sent} asks it to stop; multiprocessing does not run finally blocks or exit handlers of a terminated process either.`;
    const choice = await vscode.window.showWarningMessage(`${action} ${process.name} (pid ${process.pid})?`, { modal: true, detail }, action);
    if (choice !== action) {
      return undefined;
    }
  }
  // The process may have ended while the dialog was open: ask the model again.
  const current = context.model.session(found.session.id)?.process(process.key);
  if (!current || !isSignallable(current, aliveInOs(current))) {
    void vscode.window.showInformationMessage(`mpscope: ${process.name} (pid ${process.pid}) ended in the meantime.`);
    return { pid: process.pid, sent, ok: false, message: 'already ended' };
  }
  const result = await stopProcess(plan);
  context.log.info(`${method} pid ${process.pid} (${process.name}) with ${sent}: ${result.ok ? 'sent' : result.message ?? 'failed'}`);
  if (!result.ok && !result.gone) {
    void vscode.window.showErrorMessage(`mpscope: could not ${method} ${process.name} (pid ${process.pid}): ${result.message ?? 'unknown error'}`);
  }
  return result.message === undefined ? { pid: process.pid, sent, ok: result.ok } : { pid: process.pid, sent, ok: result.ok, message: result.message };
}

/** The result of a dump command: the document it opened, and who answered. */
export interface DumpOutcome {
  readonly uri: string;
  readonly asked: number;
  readonly answered: number;
}

async function dumpStacks(context: ProcessCommandsContext, node: unknown): Promise<DumpOutcome | undefined> {
  const found = processOfNode(context, node);
  if (found) {
    return dumpSession(context, found.session, [found.process.key]);
  }
  const sessionId = sessionIdOf(node);
  const session = sessionId === undefined ? undefined : context.model.session(sessionId);
  if (session) {
    return dumpSession(context, session, undefined);
  }
  const chosen = await chooseSession(context.model, undefined, { purpose: 'Dump Stacks', selected: () => undefined });
  return chosen ? dumpSession(context, chosen, undefined) : undefined;
}

async function dumpSession(context: ProcessCommandsContext, session: SessionView, keys: readonly string[] | undefined): Promise<DumpOutcome | undefined> {
  const askable = askableProcesses(session);
  const wanted = keys === undefined ? undefined : new Set(keys);
  const targets = wanted === undefined ? askable : askable.filter((process) => wanted.has(process.key));
  if (targets.length === 0) {
    const what = keys === undefined ? `no process of "${session.label}"` : 'this process';
    void vscode.window.showInformationMessage(
      `mpscope: ${what} can be asked for its stacks now (it must be running with mpscope's hooks, and stack dumps need a run started by mpscope).`,
    );
    return undefined;
  }
  const at = Date.now() / 1000;
  const answers = await vscode.window.withProgress(
    { location: { viewId: PROCESSES_VIEW_ID }, title: 'Dumping stacks…' },
    () => context.stacks.dump(session.id, targets.map((process) => process.key)),
  );
  const current = context.model.session(session.id) ?? session;
  const asked = new Map(targets.map((process) => [process.key, process]));
  const dumps = answers.map((answer) => ({ process: current.process(answer.key) ?? (asked.get(answer.key) as ProcessSnapshot), dump: answer.dump }));
  const notAsked = keys === undefined
    ? [...current.allProcesses()].filter((process) => !asked.has(process.key) && process.state !== 'exited')
    : [];
  const text = stacksText({ sessionLabel: session.label, at, dumps, notAsked });
  const cwd = targets.map((process) => workingDirectory(current, process)).find((dir) => dir) ?? null;
  const title = keys === undefined ? `${session.label} stacks` : `${targets[0]?.name ?? 'process'} ${targets[0]?.pid ?? ''} stacks`;
  const uri = await context.documents.open(title, text, cwd);
  const answered = answers.filter((answer) => answer.dump && answer.dump.error === null).length;
  context.log.info(`session ${session.id}: stacks of ${targets.length} process(es), ${answered} answered`);
  return { uri: uri.toString(), asked: targets.length, answered };
}
