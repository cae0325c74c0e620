// The commands that work on whole sessions: show the Timeline, save a session, open a saved one,
// export a trace. Registered together because they share the Timeline panel, the task source
// and the way a command finds its session (argument, tree selection, or a pick).
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import type { TaskSource } from '../timeline/timeline';
import type { ProcessTreeNode, ProcessTreeProvider } from '../views/processTree';
import { SHOW_TIMELINE_COMMAND, TimelinePanel } from '../views/timeline/timelinePanel';
import { sessionIdOf } from './sessionArguments';
import { EXPORT_TRACE_COMMAND, exportTrace } from './exportTrace';
import { OPEN_SESSION_COMMAND, openSession } from './openSession';
import { SAVE_SESSION_COMMAND, saveSession } from './saveSession';

export interface SessionCommandsContext {
  readonly model: Model;
  readonly tree: ProcessTreeProvider;
  readonly treeView: vscode.TreeView<ProcessTreeNode>;
  readonly extensionUri: vscode.Uri;
  readonly tasks: TaskSource;
  readonly log: vscode.LogOutputChannel;
}

/** Registers the commands; the returned panel is disposed with the extension's subscriptions. */
export function registerSessionCommands(context: SessionCommandsContext, subscriptions: vscode.Disposable[]): TimelinePanel {
  const { model, tree, treeView, log, tasks } = context;
  const selected = (): ProcessTreeNode | undefined => treeView.selection[0];

  const reveal = async (sessionId: string, key?: string): Promise<void> => {
    // reveal() walks up with getParent and expands the ancestors; it also shows the view.
    await treeView.reveal(tree.nodeFor(sessionId, key), { select: true, focus: key !== undefined, expand: key === undefined ? 1 : true });
  };

  const timeline = new TimelinePanel({ model, extensionUri: context.extensionUri, tasks, reveal, log });

  subscriptions.push(
    timeline,
    vscode.commands.registerCommand(SHOW_TIMELINE_COMMAND, (session?: unknown) => {
      timeline.show(sessionIdOf(session) ?? sessionIdOf(selected()));
    }),
    vscode.commands.registerCommand(SAVE_SESSION_COMMAND, (session?: unknown, target?: unknown) =>
      saveSession(model, session, target, selected)),
    vscode.commands.registerCommand(EXPORT_TRACE_COMMAND, (session?: unknown, target?: unknown) =>
      exportTrace(model, tasks, session, target, selected)),
    vscode.commands.registerCommand(OPEN_SESSION_COMMAND, (target?: unknown) =>
      openSession(model, target, { reveal: (sessionId) => reveal(sessionId), showTimeline: (sessionId) => timeline.show(sessionId), log })),
    treeView.onDidChangeSelection((event) => {
      const node = event.selection[0];
      if (node?.type === 'process') {
        timeline.highlight(node.sessionId, node.key);
      }
    }),
  );
  return timeline;
}
