// The Processes view: session → processes nested by parent. It renders the model and nothing
// else; refreshes are throttled and limited to what changed (see refreshPlan.ts).
import * as vscode from 'vscode';
import type { ChangeTracker } from '../model/changes';
import type { Model } from '../model/model';
import type { SessionView } from '../model/session';
import type { ProcessSnapshot } from '../model/types';
import {
  IconChoice,
  processDescription,
  processIcon,
  processTooltip,
  sessionDescription,
  sessionIcon,
  sessionTooltip,
} from './processPresentation';
import { planRefresh, Throttle } from './refreshPlan';

export const PROCESSES_VIEW_ID = 'mpscope.processes';
export const REVEAL_CREATION_SITE_COMMAND = 'mpscope.revealCreationSite';

export interface SessionNode {
  readonly type: 'session';
  readonly sessionId: string;
}

export interface ProcessNode {
  readonly type: 'process';
  readonly sessionId: string;
  readonly key: string;
}

export type ProcessTreeNode = SessionNode | ProcessNode;

/** At most this many refreshes a second reach the UI. */
const REFRESH_INTERVAL_MS = 100;

export class ProcessTreeProvider implements vscode.TreeDataProvider<ProcessTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ProcessTreeNode | ProcessTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** One node object per element, so refreshes and reveal() find the same element again. */
  private readonly nodes = new Map<string, ProcessTreeNode>();
  private readonly tracker: ChangeTracker;
  private readonly throttle: Throttle;
  private readonly unsubscribe: () => void;

  constructor(private readonly model: Model) {
    this.tracker = model.createChangeTracker();
    this.throttle = new Throttle(() => this.flush(), REFRESH_INTERVAL_MS);
    this.unsubscribe = model.onDidChange(() => this.throttle.request());
  }

  getChildren(element?: ProcessTreeNode): ProcessTreeNode[] {
    if (!element) {
      return this.model.sessions().map((session) => this.sessionNode(session.id));
    }
    const session = this.model.session(element.sessionId);
    if (!session) {
      return [];
    }
    const parentKey = element.type === 'session' ? null : element.key;
    return session.children(parentKey).map((process) => this.processNode(session.id, process.key));
  }

  getParent(element: ProcessTreeNode): ProcessTreeNode | undefined {
    if (element.type === 'session') {
      return undefined;
    }
    const process = this.model.session(element.sessionId)?.process(element.key);
    if (!process || process.parentKey === null) {
      return this.sessionNode(element.sessionId);
    }
    return this.processNode(element.sessionId, process.parentKey);
  }

  getTreeItem(element: ProcessTreeNode): vscode.TreeItem {
    const session = this.model.session(element.sessionId);
    if (!session) {
      return new vscode.TreeItem('(cleared)');
    }
    if (element.type === 'session') {
      return this.sessionItem(session);
    }
    const process = session.process(element.key);
    return process ? this.processItem(session, process) : new vscode.TreeItem('(gone)');
  }

  /** Tooltips are built only when the user hovers. */
  resolveTreeItem(item: vscode.TreeItem, element: ProcessTreeNode): vscode.TreeItem {
    const session = this.model.session(element.sessionId);
    if (!session) {
      return item;
    }
    if (element.type === 'session') {
      item.tooltip = untrustedMarkdown(sessionTooltip(session));
    } else {
      const process = session.process(element.key);
      if (process) {
        item.tooltip = untrustedMarkdown(processTooltip(process));
      }
    }
    return item;
  }

  /** The node of a process, e.g. for `TreeView.reveal`. */
  nodeFor(sessionId: string, key?: string): ProcessTreeNode {
    return key === undefined ? this.sessionNode(sessionId) : this.processNode(sessionId, key);
  }

  /** The process a node shows (commands receive nodes as arguments). */
  processOf(node: ProcessTreeNode): { session: SessionView; process: ProcessSnapshot } | undefined {
    if (node.type !== 'process') {
      return undefined;
    }
    const session = this.model.session(node.sessionId);
    const process = session?.process(node.key);
    return session && process ? { session, process } : undefined;
  }

  dispose(): void {
    this.throttle.dispose();
    this.unsubscribe();
    this.tracker.dispose();
    this.changeEmitter.dispose();
  }

  private sessionItem(session: SessionView): vscode.TreeItem {
    const item = new vscode.TreeItem(session.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = session.id;
    item.description = sessionDescription(session);
    item.iconPath = themeIcon(sessionIcon(session));
    item.contextValue = session.endedAt === null ? 'mpscope.session.running' : 'mpscope.session.ended';
    return item;
  }

  private processItem(session: SessionView, process: ProcessSnapshot): vscode.TreeItem {
    const collapsible = session.childCount(process.key) > 0
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(process.name, collapsible);
    item.id = `${session.id}/${process.key}`;
    item.description = processDescription(process);
    item.iconPath = themeIcon(processIcon(process.state));
    item.contextValue = `mpscope.process.${process.state}`;
    if (process.site) {
      item.command = {
        command: REVEAL_CREATION_SITE_COMMAND,
        title: 'Reveal Creation Site',
        arguments: [this.processNode(session.id, process.key)],
      };
    }
    return item;
  }

  private sessionNode(sessionId: string): SessionNode {
    let node = this.nodes.get(sessionId);
    if (!node) {
      node = { type: 'session', sessionId };
      this.nodes.set(sessionId, node);
    }
    return node as SessionNode;
  }

  private processNode(sessionId: string, key: string): ProcessNode {
    const id = `${sessionId}/${key}`;
    let node = this.nodes.get(id);
    if (!node) {
      node = { type: 'process', sessionId, key };
      this.nodes.set(id, node);
    }
    return node as ProcessNode;
  }

  private flush(): void {
    const plan = planRefresh(this.tracker.take());
    if (plan.kind === 'none') {
      return;
    }
    if (plan.kind === 'all') {
      this.forgetRemovedSessions();
      this.changeEmitter.fire(undefined);
      return;
    }
    const elements: ProcessTreeNode[] = plan.sessions.map((id) => this.sessionNode(id));
    for (const { sessionId, key } of plan.processes) {
      elements.push(this.processNode(sessionId, key));
    }
    this.changeEmitter.fire(elements);
  }

  private forgetRemovedSessions(): void {
    const live = new Set(this.model.sessions().map((session) => session.id));
    for (const [id, node] of this.nodes) {
      if (!live.has(node.sessionId)) {
        this.nodes.delete(id);
      }
    }
  }
}

function themeIcon(choice: IconChoice): vscode.ThemeIcon {
  return choice.color === undefined
    ? new vscode.ThemeIcon(choice.id)
    : new vscode.ThemeIcon(choice.id, new vscode.ThemeColor(choice.color));
}

/** Markdown from program output: no command links, no HTML, no theme icons. */
function untrustedMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
