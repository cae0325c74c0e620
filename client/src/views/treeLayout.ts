// The shape of the Processes view, computed from a session without VS Code: which nodes exist
// and how they nest. Processes nest by parent; a pool sits under the process that created it and
// holds its workers (replacements too); a worker holds its failed and slow tasks; queues sit
// under the process that created them; its pipes, locks, managers and shared objects go into a
// "Shared objects" group; helper processes (resource tracker, forkserver, Manager server) go
// into a "Helpers" group when grouping is on; a filter keeps the processes it matches and their
// ancestors (and hides queues and objects, which it does not match).
import { isHelperRole } from '../model/roles';
import type { SessionView } from '../model/session';
import type { OwnedKind, OwnedObject } from '../model/sessionObjects';
import type { PoolSnapshot, ProcessSnapshot, TaskSnapshot } from '../model/types';

export interface SessionNode {
  readonly type: 'session';
  readonly sessionId: string;
}

export interface ProcessNode {
  readonly type: 'process';
  readonly sessionId: string;
  readonly key: string;
}

export interface PoolNode {
  readonly type: 'pool';
  readonly sessionId: string;
  readonly poolId: string;
}

/** A failed or slow task of a worker (its id says which worker: see tasks.ts). */
export interface TaskNode {
  readonly type: 'task';
  readonly sessionId: string;
  readonly workerKey: string;
  readonly taskId: string;
}

/** The helper processes started by one process (or at the top of the session, parentKey null). */
export interface HelpersNode {
  readonly type: 'helpers';
  readonly sessionId: string;
  readonly parentKey: string | null;
}

export interface QueueNode {
  readonly type: 'queue';
  readonly sessionId: string;
  readonly queueId: string;
}

/** The pipes, locks, managers and shared objects one process created (parentKey null: creator unknown). */
export interface ObjectsNode {
  readonly type: 'objects';
  readonly sessionId: string;
  readonly parentKey: string | null;
}

/** The kinds of objects an ObjectsNode holds. */
export type GroupedKind = Exclude<OwnedKind, 'queue'>;

export const GROUPED_KINDS: readonly GroupedKind[] = ['sync', 'pipe', 'manager', 'shared'];

export interface ObjectNode {
  readonly type: 'object';
  readonly sessionId: string;
  readonly kind: GroupedKind;
  readonly id: string;
}

export type TreeNode = SessionNode | ProcessNode | PoolNode | TaskNode | HelpersNode | QueueNode | ObjectsNode | ObjectNode;

export interface LayoutOptions {
  /** Put helper processes into a "Helpers" group instead of among the other children. */
  readonly groupHelpers: boolean;
  /** Tasks that returned and took at least this long (seconds) are shown under their worker. */
  readonly slowTaskSeconds: number;
  /** With a filter: the process keys to show (see processFilter.ts); undefined shows all. */
  readonly visible?: ReadonlySet<string>;
}

/** Unique within the view; also the TreeItem id. A process keeps the id it always had. */
export function nodeId(node: TreeNode): string {
  switch (node.type) {
    case 'session':
      return node.sessionId;
    case 'process':
      return `${node.sessionId}/${node.key}`;
    case 'pool':
      return `${node.sessionId}/pool:${node.poolId}`;
    case 'task':
      return `${node.sessionId}/task:${node.taskId}`;
    case 'helpers':
      return `${node.sessionId}/helpers:${node.parentKey ?? ''}`;
    case 'queue':
      return `${node.sessionId}/queue:${node.queueId}`;
    case 'objects':
      return `${node.sessionId}/objects:${node.parentKey ?? ''}`;
    case 'object':
      return `${node.sessionId}/${node.kind}:${node.id}`;
    default: {
      const unknown: never = node;
      return unknown;
    }
  }
}

/** Children of a node, in display order. */
export function childrenOf(session: SessionView, node: TreeNode, options: LayoutOptions): TreeNode[] {
  switch (node.type) {
    case 'session':
      return childrenOfProcess(session, null, options);
    case 'process':
      return childrenOfProcess(session, node.key, options);
    case 'pool': {
      const pool = session.objects.pool(node.poolId);
      return pool ? workerNodes(session, pool, options) : [];
    }
    case 'helpers':
      return helperChildren(session, node.parentKey, options).map((process) => processNode(session.id, process.key));
    case 'objects':
      return groupedObjects(session, node.parentKey).map((object) => ({ type: 'object', sessionId: session.id, kind: object.kind as GroupedKind, id: object.record.id }));
    case 'task':
    case 'queue':
    case 'object':
      return [];
    default: {
      const unknown: never = node;
      return unknown;
    }
  }
}

/** The node a node is shown under; undefined for a session. */
export function parentOf(session: SessionView, node: TreeNode, options: LayoutOptions): TreeNode | undefined {
  switch (node.type) {
    case 'session':
      return undefined;
    case 'process': {
      const pool = session.objects.poolOf(node.key);
      if (pool) {
        return { type: 'pool', sessionId: session.id, poolId: pool.id };
      }
      const process = session.process(node.key);
      const parentKey = process?.parentKey ?? null;
      if (process && options.groupHelpers && isHelperRole(process.role)) {
        return { type: 'helpers', sessionId: session.id, parentKey };
      }
      return parentKey === null ? sessionNode(session.id) : processNode(session.id, parentKey);
    }
    case 'pool': {
      const creator = creatorKeyOf(session, session.objects.pool(node.poolId));
      return creator === null ? sessionNode(session.id) : processNode(session.id, creator);
    }
    case 'task':
      return processNode(session.id, node.workerKey);
    case 'helpers':
    case 'objects':
      return node.parentKey === null ? sessionNode(session.id) : processNode(session.id, node.parentKey);
    case 'queue': {
      const queue = session.objects.owned('queue', node.queueId);
      const creator = queue ? shownCreator(session, queue) : null;
      return creator === null ? sessionNode(session.id) : processNode(session.id, creator);
    }
    case 'object': {
      const object = session.objects.owned(node.kind, node.id);
      return { type: 'objects', sessionId: session.id, parentKey: object ? shownCreator(session, object) : null };
    }
    default: {
      const unknown: never = node;
      return unknown;
    }
  }
}

/** The objects a "Shared objects" node holds, locks first. */
export function groupedObjects(session: SessionView, parentKey: string | null): OwnedObject[] {
  return GROUPED_KINDS.flatMap((kind) => ownedUnder(session, kind, parentKey));
}

/** Announced objects of one kind shown under a process (or at the top when their creator is unknown). */
function ownedUnder(session: SessionView, kind: OwnedKind, key: string | null): readonly OwnedObject[] {
  if (key !== null) {
    return session.objects.ownedCreatedBy(kind, key);
  }
  return session.objects.allOwned(kind).filter((object) => object.record.announced && shownCreator(session, object) === null);
}

/** The creator an object is shown under: its creator's key while that process is in the session. */
function shownCreator(session: SessionView, object: OwnedObject): string | null {
  const key = object.record.creatorKey;
  return key !== null && session.process(key) ? key : null;
}

/**
 * The process key a process is nested under in this layout (through its pool, for a worker);
 * null at the top. The filter keeps these ancestors of what it matches.
 */
export function layoutParentKey(session: SessionView, key: string): string | null {
  const pool = session.objects.poolOf(key);
  if (pool) {
    return creatorKeyOf(session, pool);
  }
  return session.process(key)?.parentKey ?? null;
}

/** The failed tasks of a worker, then its slow ones (longest first), as the tree shows them. */
export function shownTasks(session: SessionView, workerKey: string, slowTaskSeconds: number): TaskSnapshot[] {
  const tasks = session.objects.tasksOf(workerKey);
  if (!tasks) {
    return [];
  }
  const slow = tasks.slowest.filter((task) => task.duration >= slowTaskSeconds);
  return [...tasks.failed, ...slow];
}

function childrenOfProcess(session: SessionView, key: string | null, options: LayoutOptions): TreeNode[] {
  const nodes: TreeNode[] = [];
  const { visible } = options;
  if (key !== null) {
    for (const task of shownTasks(session, key, options.slowTaskSeconds)) {
      nodes.push({ type: 'task', sessionId: session.id, workerKey: key, taskId: task.id });
    }
  }
  for (const pool of poolsUnder(session, key)) {
    if (!visible || pool.workers.some((worker) => visible.has(worker))) {
      nodes.push({ type: 'pool', sessionId: session.id, poolId: pool.id });
    }
  }
  if (!visible) {
    for (const queue of ownedUnder(session, 'queue', key)) {
      nodes.push({ type: 'queue', sessionId: session.id, queueId: queue.record.id });
    }
  }
  let helpers = false;
  for (const process of session.children(key)) {
    if (session.objects.poolOf(process.key)) {
      continue; // shown under its pool
    }
    if (visible && !visible.has(process.key)) {
      continue;
    }
    if (options.groupHelpers && isHelperRole(process.role)) {
      helpers = true;
      continue;
    }
    nodes.push(processNode(session.id, process.key));
  }
  if (helpers) {
    nodes.push({ type: 'helpers', sessionId: session.id, parentKey: key });
  }
  if (!visible && GROUPED_KINDS.some((kind) => ownedUnder(session, kind, key).length > 0)) {
    nodes.push({ type: 'objects', sessionId: session.id, parentKey: key });
  }
  return nodes;
}

function helperChildren(session: SessionView, parentKey: string | null, options: LayoutOptions): ProcessSnapshot[] {
  const { visible } = options;
  return session.children(parentKey).filter(
    (process) => isHelperRole(process.role) && !session.objects.poolOf(process.key) && (!visible || visible.has(process.key)),
  );
}

/** The helper processes a Helpers node holds (for its label and description). */
export function helpersOf(session: SessionView, node: HelpersNode, options: LayoutOptions): ProcessSnapshot[] {
  return helperChildren(session, node.parentKey, options);
}

function workerNodes(session: SessionView, pool: PoolSnapshot, options: LayoutOptions): TreeNode[] {
  const { visible } = options;
  return pool.workers.filter((key) => !visible || visible.has(key)).map((key) => processNode(session.id, key));
}

/** Pools shown under a process (or at the top, for pools whose creator the session does not know). */
function poolsUnder(session: SessionView, key: string | null): readonly PoolSnapshot[] {
  if (key !== null) {
    return session.objects.poolsCreatedBy(key);
  }
  const orphans: PoolSnapshot[] = [];
  for (const pool of session.objects.pools()) {
    if (creatorKeyOf(session, pool) === null) {
      orphans.push(pool);
    }
  }
  return orphans;
}

function creatorKeyOf(session: SessionView, pool: PoolSnapshot | undefined): string | null {
  if (!pool || pool.creatorKey === null) {
    return null;
  }
  return session.process(pool.creatorKey) ? pool.creatorKey : null;
}

function sessionNode(sessionId: string): SessionNode {
  return { type: 'session', sessionId };
}

function processNode(sessionId: string, key: string): ProcessNode {
  return { type: 'process', sessionId, key };
}
