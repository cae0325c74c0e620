// The Processes view: session → processes nested by parent, pools with their workers, failed and
// slow tasks under their workers, helper processes in a Helpers group. It renders the model and
// nothing else: the shape comes from treeLayout.ts, the text from the presentation files.
// Refreshes are throttled and limited to what changed (see refreshPlan.ts).
import * as vscode from 'vscode';
import type { ChangeTracker } from '../model/changes';
import type { Model } from '../model/model';
import { parseObjectId } from '../model/objectIds';
import { aliveInOs } from '../model/osSnapshot';
import { isHelperRole } from '../model/roles';
import type { SessionView } from '../model/session';
import type { PoolSnapshot, ProcessSnapshot, Site, TaskCountsSnapshot, TaskSnapshot } from '../model/types';
import { workingDirectory } from '../model/workingDirectory';
import { HELPERS_CONTEXT_VALUE, OBJECTS_CONTEXT_VALUE, ownedContextValue, poolContextValue, processContextValue, taskContextValue } from './contextValues';
import {
  HELPERS_ICON,
  helpersDescription,
  helpersTooltip,
  OBJECTS_ICON,
  objectDescription,
  objectIcon,
  objectsDescription,
  objectTooltip,
  poolDescription,
  poolIcon,
  poolLabel,
  poolTaskCounts,
  poolTooltip,
  taskDescription,
  taskIcon,
  taskLabel,
  taskTooltip,
} from './objectPresentation';
import { ownedLabel } from './ownedLabels';
import { ProcessFilter, visibleKeys } from './processFilter';
import {
  IconChoice,
  processContext,
  processDescription,
  processIcon,
  processTooltip,
  sessionDescription,
  sessionIcon,
  sessionTooltip,
} from './processPresentation';
import { planRefresh, Throttle } from './refreshPlan';
import {
  childrenOf,
  groupedObjects,
  HelpersNode,
  helpersOf,
  layoutParentKey,
  LayoutOptions,
  nodeId,
  ObjectNode,
  ObjectsNode,
  parentOf,
  PoolNode,
  ProcessNode,
  QueueNode,
  TaskNode,
  TreeNode,
} from './treeLayout';
import type { OwnedObject } from '../model/sessionObjects';

export type { HelpersNode, ObjectNode, ObjectsNode, PoolNode, ProcessNode, QueueNode, SessionNode, TaskNode } from './treeLayout';
export type ProcessTreeNode = TreeNode;

export const PROCESSES_VIEW_ID = 'mpscope.processes';
export const REVEAL_CREATION_SITE_COMMAND = 'mpscope.revealCreationSite';

/** At most this many refreshes a second reach the UI. */
const REFRESH_INTERVAL_MS = 100;

export interface TreeOptions {
  readonly groupHelpers: boolean;
  readonly slowTaskSeconds: number;
}

export const DEFAULT_TREE_OPTIONS: TreeOptions = { groupHelpers: true, slowTaskSeconds: 1 };

export class ProcessTreeProvider implements vscode.TreeDataProvider<ProcessTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ProcessTreeNode | ProcessTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** One node object per element, so refreshes and reveal() find the same element again. */
  private readonly nodes = new Map<string, ProcessTreeNode>();
  private readonly tracker: ChangeTracker;
  private readonly throttle: Throttle;
  private readonly unsubscribe: () => void;
  private options: TreeOptions;
  private currentFilter: ProcessFilter | undefined;
  /** With a filter: the keys shown, per session, until the model or the filter changes. */
  private readonly visibleBySession = new Map<string, Set<string>>();

  constructor(
    private readonly model: Model,
    options: TreeOptions = DEFAULT_TREE_OPTIONS,
  ) {
    this.options = options;
    this.tracker = model.createChangeTracker();
    this.throttle = new Throttle(() => this.flush(), REFRESH_INTERVAL_MS);
    this.unsubscribe = model.onDidChange(() => this.throttle.request());
  }

  get filter(): ProcessFilter | undefined {
    return this.currentFilter;
  }

  /** Shows only matching processes (and their ancestors); undefined shows everything. */
  setFilter(filter: ProcessFilter | undefined): void {
    this.currentFilter = filter;
    this.visibleBySession.clear();
    this.changeEmitter.fire(undefined);
  }

  setOptions(options: TreeOptions): void {
    this.options = options;
    this.visibleBySession.clear();
    this.changeEmitter.fire(undefined);
  }

  /** With a filter, how many processes it keeps for their own sake or as ancestors (all sessions). */
  visibleCount(): number | undefined {
    if (!this.currentFilter) {
      return undefined;
    }
    let count = 0;
    for (const session of this.model.sessions()) {
      count += this.visibleIn(session)?.size ?? 0;
    }
    return count;
  }

  getChildren(element?: ProcessTreeNode): ProcessTreeNode[] {
    if (!element) {
      return this.model.sessions().map((session) => this.intern({ type: 'session', sessionId: session.id }));
    }
    const session = this.model.session(element.sessionId);
    if (!session) {
      return [];
    }
    return childrenOf(session, element, this.layout(session)).map((node) => this.intern(node));
  }

  getParent(element: ProcessTreeNode): ProcessTreeNode | undefined {
    const session = this.model.session(element.sessionId);
    if (!session) {
      return undefined;
    }
    const parent = parentOf(session, element, this.layout(session));
    return parent && this.intern(parent);
  }

  getTreeItem(element: ProcessTreeNode): vscode.TreeItem {
    const session = this.model.session(element.sessionId);
    if (!session) {
      return new vscode.TreeItem('(cleared)');
    }
    switch (element.type) {
      case 'session':
        return this.sessionItem(session);
      case 'process': {
        const process = session.process(element.key);
        return process ? this.processItem(session, element, process) : new vscode.TreeItem('(gone)');
      }
      case 'pool': {
        const pool = session.objects.pool(element.poolId);
        return pool ? this.poolItem(session, element, pool) : new vscode.TreeItem('(gone)');
      }
      case 'task': {
        const task = session.objects.task(element.taskId);
        return task ? this.taskItem(element, task) : new vscode.TreeItem('(gone)');
      }
      case 'helpers':
        return this.helpersItem(session, element);
      case 'queue': {
        const queue = session.objects.owned('queue', element.queueId);
        return queue ? this.ownedItem(element, queue) : new vscode.TreeItem('(gone)');
      }
      case 'object': {
        const object = session.objects.owned(element.kind, element.id);
        return object ? this.ownedItem(element, object) : new vscode.TreeItem('(gone)');
      }
      case 'objects':
        return this.objectsItem(session, element);
      default: {
        const unknown: never = element;
        return unknown;
      }
    }
  }

  /** Tooltips are built only when the user hovers. */
  resolveTreeItem(item: vscode.TreeItem, element: ProcessTreeNode): vscode.TreeItem {
    const session = this.model.session(element.sessionId);
    if (!session) {
      return item;
    }
    const markdown = this.tooltipOf(session, element);
    if (markdown !== undefined) {
      item.tooltip = untrustedMarkdown(markdown);
    }
    return item;
  }

  /** The node of a session or process, e.g. for `TreeView.reveal`. */
  nodeFor(sessionId: string, key?: string): ProcessTreeNode {
    return key === undefined ? this.intern({ type: 'session', sessionId }) : this.intern({ type: 'process', sessionId, key });
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

  /**
   * Where the user's code made what a node shows: a process's or pool's creation site, the line
   * a failed task raised at; `cwd` resolves relative paths.
   */
  siteOf(node: ProcessTreeNode): { site: Site; cwd: string | null; what: string } | undefined {
    const session = this.model.session(node.sessionId);
    if (!session) {
      return undefined;
    }
    const cwdOf = (pid: number | undefined): string | null =>
      (pid === undefined ? undefined : session.processByPid(pid)?.interpreter?.cwd) ?? null;
    switch (node.type) {
      case 'process': {
        const process = session.process(node.key);
        return process?.site ? { site: process.site, cwd: workingDirectory(session, process), what: process.name } : undefined;
      }
      case 'pool': {
        const pool = session.objects.pool(node.poolId);
        return pool?.site ? { site: pool.site, cwd: cwdOf(pool.creatorPid), what: poolLabel(pool) } : undefined;
      }
      case 'task': {
        const task = session.objects.task(node.taskId);
        const site = task?.exception?.site;
        return task && site ? { site, cwd: cwdOf(task.workerPid), what: taskLabel(task) } : undefined;
      }
      case 'queue':
      case 'object': {
        const object = node.type === 'queue' ? session.objects.owned('queue', node.queueId) : session.objects.owned(node.kind, node.id);
        const site = object?.record.site;
        return object && site ? { site, cwd: cwdOf(object.record.creatorPid ?? undefined), what: ownedLabel(object) } : undefined;
      }
      default:
        return undefined;
    }
  }

  dispose(): void {
    this.throttle.dispose();
    this.unsubscribe();
    this.tracker.dispose();
    this.changeEmitter.dispose();
  }

  private layout(session: SessionView): LayoutOptions {
    const visible = this.visibleIn(session);
    return visible ? { ...this.options, visible } : this.options;
  }

  private visibleIn(session: SessionView): Set<string> | undefined {
    const filter = this.currentFilter;
    if (!filter) {
      return undefined;
    }
    let visible = this.visibleBySession.get(session.id);
    if (!visible) {
      visible = visibleKeys(session.allProcesses(), filter, (key) => layoutParentKey(session, key));
      this.visibleBySession.set(session.id, visible);
    }
    return visible;
  }

  private tooltipOf(session: SessionView, element: ProcessTreeNode): string | undefined {
    switch (element.type) {
      case 'session':
        return sessionTooltip(session);
      case 'process': {
        const process = session.process(element.key);
        return process && processTooltip(process, processContext(session, process));
      }
      case 'pool': {
        const pool = session.objects.pool(element.poolId);
        return pool && poolTooltip(pool, this.poolCounts(session, pool));
      }
      case 'task': {
        const task = session.objects.task(element.taskId);
        return task && taskTooltip(task);
      }
      case 'helpers':
        return helpersTooltip(helpersOf(session, element, this.layout(session)));
      case 'queue': {
        const queue = session.objects.owned('queue', element.queueId);
        return queue && objectTooltip(queue);
      }
      case 'object': {
        const object = session.objects.owned(element.kind, element.id);
        return object && objectTooltip(object);
      }
      case 'objects':
        return 'Pipes, locks, managers and shared state this process created';
      default: {
        const unknown: never = element;
        return unknown;
      }
    }
  }

  private sessionItem(session: SessionView): vscode.TreeItem {
    const item = new vscode.TreeItem(session.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = session.id;
    item.description = sessionDescription(session);
    item.iconPath = themeIcon(sessionIcon(session));
    // `…ended.survivors` offers "Kill Survivors"; menus match the `mpscope.session.` prefix.
    item.contextValue = session.endedAt === null
      ? 'mpscope.session.running'
      : session.survivors().length > 0 ? 'mpscope.session.ended.survivors' : 'mpscope.session.ended';
    return item;
  }

  private processItem(session: SessionView, node: ProcessNode, process: ProcessSnapshot): vscode.TreeItem {
    const children = childrenOf(session, node, this.layout(session));
    const hasFailedTask = children.some((child) => child.type === 'task' && session.objects.task(child.taskId)?.ok === false);
    const onlyTasks = children.length > 0 && children.every((child) => child.type === 'task');
    // A worker's slow tasks are there when wanted; its failed ones (and child processes) show.
    const collapsible = children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : onlyTasks && !hasFailedTask ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(process.name, collapsible);
    item.id = nodeId(node);
    const context = processContext(session, process);
    item.description = processDescription(process, context);
    item.iconPath = themeIcon(processIcon(process.state));
    item.contextValue = processContextValue(process, {
      aliveInOs: aliveInOs(process),
      canDumpStacks: session.objects.stacksSupport(process.key) !== null,
    });
    if (process.site) {
      item.command = { command: REVEAL_CREATION_SITE_COMMAND, title: 'Reveal Creation Site', arguments: [node] };
    }
    return item;
  }

  private poolItem(session: SessionView, node: PoolNode, pool: PoolSnapshot): vscode.TreeItem {
    const item = new vscode.TreeItem(poolLabel(pool), vscode.TreeItemCollapsibleState.Expanded);
    item.id = nodeId(node);
    const workers = pool.workers.map((key) => session.process(key)).filter((worker): worker is ProcessSnapshot => worker !== undefined);
    const counts = this.poolCounts(session, pool);
    item.description = poolDescription(pool, workers, counts);
    item.iconPath = themeIcon(poolIcon(pool, counts));
    item.contextValue = poolContextValue(pool);
    if (pool.site) {
      item.command = { command: REVEAL_CREATION_SITE_COMMAND, title: 'Reveal Creation Site', arguments: [node] };
    }
    return item;
  }

  private taskItem(node: TaskNode, task: TaskSnapshot): vscode.TreeItem {
    const item = new vscode.TreeItem(taskLabel(task), vscode.TreeItemCollapsibleState.None);
    item.id = nodeId(node);
    item.description = taskDescription(task);
    item.iconPath = themeIcon(taskIcon(task));
    item.contextValue = taskContextValue(task);
    if (task.exception?.site) {
      item.command = { command: REVEAL_CREATION_SITE_COMMAND, title: 'Reveal Where It Raised', arguments: [node] };
    }
    return item;
  }

  private helpersItem(session: SessionView, node: HelpersNode): vscode.TreeItem {
    const helpers = helpersOf(session, node, this.layout(session));
    const item = new vscode.TreeItem('Helpers', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = nodeId(node);
    item.description = helpersDescription(helpers);
    item.iconPath = themeIcon(HELPERS_ICON);
    item.contextValue = HELPERS_CONTEXT_VALUE;
    return item;
  }

  private ownedItem(node: QueueNode | ObjectNode, object: OwnedObject): vscode.TreeItem {
    const item = new vscode.TreeItem(ownedLabel(object), vscode.TreeItemCollapsibleState.None);
    item.id = nodeId(node);
    item.description = objectDescription(object);
    item.iconPath = themeIcon(objectIcon(object));
    item.contextValue = ownedContextValue(object);
    if (object.record.site) {
      item.command = { command: REVEAL_CREATION_SITE_COMMAND, title: 'Reveal Creation Site', arguments: [node] };
    }
    return item;
  }

  private objectsItem(session: SessionView, node: ObjectsNode): vscode.TreeItem {
    const objects = groupedObjects(session, node.parentKey);
    // A lock or pipe someone waited on long is worth seeing at once.
    const waited = objects.some((object) => (object.kind === 'sync' || object.kind === 'pipe') && object.record.waitCount > 0);
    const item = new vscode.TreeItem('Shared objects', waited ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = nodeId(node);
    item.description = objectsDescription(objects);
    item.iconPath = themeIcon(OBJECTS_ICON);
    item.contextValue = OBJECTS_CONTEXT_VALUE;
    return item;
  }

  private poolCounts(session: SessionView, pool: PoolSnapshot): TaskCountsSnapshot | undefined {
    return poolTaskCounts(pool.workers.map((key) => session.objects.tasksOf(key)?.counts));
  }

  private intern(node: ProcessTreeNode): ProcessTreeNode {
    const id = nodeId(node);
    const known = this.nodes.get(id);
    if (known) {
      return known;
    }
    this.nodes.set(id, node);
    return node;
  }

  private flush(): void {
    const plan = planRefresh(this.tracker.take());
    if (plan.kind === 'none') {
      return;
    }
    this.visibleBySession.clear();
    if (plan.kind === 'all' || this.currentFilter) {
      // With a filter any change may show or hide a process: re-read everything.
      this.forgetRemovedSessions();
      this.changeEmitter.fire(undefined);
      return;
    }
    const elements = new Map<string, ProcessTreeNode>();
    const add = (node: ProcessTreeNode): void => {
      const interned = this.intern(node);
      elements.set(nodeId(interned), interned);
    };
    for (const sessionId of plan.sessions) {
      add({ type: 'session', sessionId });
    }
    for (const { sessionId, key } of plan.processes) {
      const node: ProcessNode = { type: 'process', sessionId, key };
      add(node);
      // A pool's and the Helpers group's descriptions count their members' states.
      const session = this.model.session(sessionId);
      const process = session?.process(key);
      if (session && process && (process.pool !== null || isHelperRole(process.role))) {
        const parent = parentOf(session, node, this.options);
        if (parent && parent.type !== 'session' && parent.type !== 'process') {
          add(parent);
        }
      }
    }
    for (const { sessionId, id } of plan.objects) {
      const parsed = parseObjectId(id);
      if (!parsed) {
        continue;
      }
      if (parsed.kind === 'pool') {
        add({ type: 'pool', sessionId, poolId: parsed.id });
      } else if (parsed.kind === 'queue') {
        add({ type: 'queue', sessionId, queueId: parsed.id });
      } else {
        const node: ObjectNode = { type: 'object', sessionId, kind: parsed.kind, id: parsed.id };
        add(node);
        // The group expands once something in it was waited on.
        const session = this.model.session(sessionId);
        const parent = session && parentOf(session, node, this.options);
        if (parent) {
          add(parent);
        }
      }
    }
    this.changeEmitter.fire([...elements.values()]);
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
