// How the Processes view shows what is not a process: a pool (or executor), a worker's failed or
// slow task, a queue, the pipes, locks, managers and shared objects of a process, the Helpers
// and Shared objects groups. Labels, descriptions, icons and tooltip Markdown, free of `vscode`
// so unit tests check exactly what users read; every value from the program is escaped.
import { roleText } from '../model/roles';
import type { OwnedObject } from '../model/sessionObjects';
import type {
  ManagerSnapshot,
  PipeSnapshot,
  PoolSnapshot,
  ProcessSnapshot,
  ProcessState,
  QueueSnapshot,
  SharedSnapshot,
  SubmissionSnapshot,
  SyncSnapshot,
  TaskCountsSnapshot,
  TaskSnapshot,
  WaitSnapshot,
} from '../model/types';
import { codeBlock, escapeMarkdown } from './markdown';
import { ownedLabel, queueLabel } from './ownedLabels';
import { formatSeconds, IconChoice, siteText, waitText } from './processPresentation';

// ---- pools ----------------------------------------------------------------------------------

/** `Pool`, `ProcessPoolExecutor`, or a user subclass's own name. */
export function poolLabel(pool: PoolSnapshot): string {
  const base = pool.api === 'executor' ? 'ProcessPoolExecutor' : 'Pool';
  const own = pool.className?.split('.').pop();
  return own && own !== base ? `${own} (${base})` : base;
}

/** Task totals of a pool: the sum over its workers. */
export function poolTaskCounts(workers: readonly (TaskCountsSnapshot | undefined)[]): TaskCountsSnapshot | undefined {
  let total: TaskCountsSnapshot | undefined;
  for (const counts of workers) {
    if (counts) {
      total = total
        ? { done: total.done + counts.done, failed: total.failed + counts.failed, time: total.time + counts.time, max: Math.max(total.max, counts.max) }
        : counts;
    }
  }
  return total;
}

function isAlive(state: ProcessState): boolean {
  return state === 'running' || state === 'starting' || state === 'orphan';
}

/** `running · 4 workers · 120 done · 1 failed`, `joined · 0/4 workers alive · 8 done`. */
export function poolDescription(pool: PoolSnapshot, workers: readonly ProcessSnapshot[], counts: TaskCountsSnapshot | undefined): string {
  const alive = workers.filter((worker) => isAlive(worker.state)).length;
  const size = pool.processes ?? workers.length;
  const parts: string[] = [pool.state];
  parts.push(alive === size ? `${size} ${size === 1 ? 'worker' : 'workers'}` : `${alive}/${size} workers alive`);
  if (counts) {
    parts.push(`${counts.done} done`);
    if (counts.failed > 0) {
      parts.push(`${counts.failed} failed`);
    }
  }
  return parts.join(' · ');
}

export function poolIcon(pool: PoolSnapshot, counts: TaskCountsSnapshot | undefined): IconChoice {
  if (counts && counts.failed > 0) {
    return { id: 'server-process', color: 'testing.iconFailed' };
  }
  return pool.state === 'running' ? { id: 'server-process', color: 'charts.blue' } : { id: 'server-process' };
}

/** `map(jobs.square): 2 calls, 15 items, chunksize 3`. */
export function submissionText(submission: SubmissionSnapshot): string {
  const call = `${submission.method}(${submission.func ?? '…'})`;
  const parts = [`${submission.calls} ${submission.calls === 1 ? 'call' : 'calls'}`];
  if (submission.items > 0 || submission.itemsUnknown) {
    parts.push(`${submission.items}${submission.itemsUnknown ? '+' : ''} items`);
  }
  if (submission.chunksize !== null) {
    parts.push(`chunksize ${submission.chunksize}`);
  }
  return `${call}: ${parts.join(', ')}`;
}

export function poolTooltip(pool: PoolSnapshot, counts: TaskCountsSnapshot | undefined): string {
  const lines = [`**${escapeMarkdown(poolLabel(pool))}** ${escapeMarkdown(pool.id)} — created by pid ${pool.creatorPid}`];
  lines.push(`State: ${pool.state}${pool.finalized ? ' (by its finalizer: nobody called terminate() or close())' : ''}`);
  if (pool.site) {
    lines.push(`Created at: ${escapeMarkdown(siteText(pool.site))}`);
  }
  if (pool.className) {
    lines.push(`Class: ${escapeMarkdown(pool.className)}`);
  }
  if (pool.processes !== null) {
    lines.push(`Workers: ${pool.processes}${pool.maxtasksperchild === null ? '' : `, each replaced after ${pool.maxtasksperchild} tasks`}`);
  }
  if (pool.initializer) {
    lines.push(`Initializer: ${escapeMarkdown(pool.initializer)}`);
  }
  if (pool.startMethod) {
    lines.push(`Start method: ${escapeMarkdown(pool.startMethod)}`);
  }
  if (pool.shutdownWait !== null || pool.cancelFutures !== null) {
    lines.push(`shutdown(wait=${pool.shutdownWait === false ? 'False' : 'True'}, cancel_futures=${pool.cancelFutures === true ? 'True' : 'False'})`);
  }
  if (!pool.announced) {
    lines.push('Known only from its workers (mpscope did not see it created).');
  }
  if (counts) {
    lines.push(`Tasks: ${counts.done} done, ${counts.failed} failed, ${formatSeconds(counts.time)} in tasks, longest ${formatSeconds(counts.max)}`);
  }
  for (const submission of pool.submissions) {
    lines.push(`Submitted: ${escapeMarkdown(submissionText(submission))}`);
  }
  return lines.join('  \n');
}

// ---- tasks ----------------------------------------------------------------------------------

/** The short name of a task's function (`square` for `jobs.square`), or `task`. */
export function taskLabel(task: TaskSnapshot): string {
  const name = task.func?.split('.').pop();
  return name && name.length > 0 ? name : 'task';
}

/** Where in its job a task was: `job 3 · chunk 2 (4 items)`, `job 3 · #2`. */
function taskPlace(task: TaskSnapshot): string {
  if (task.index === null) {
    return `job ${task.job}`;
  }
  return task.items !== null ? `job ${task.job} · chunk ${task.index} (${task.items} items)` : `job ${task.job} · #${task.index}`;
}

/** `failed · ValueError: bad input · 10 ms`, `slow · 2.0 s · job 0 · #3`. */
export function taskDescription(task: TaskSnapshot): string {
  if (!task.ok) {
    const why = task.exception
      ? `${task.exception.type}: ${firstLine(task.exception.message)}`
      : task.exitcode !== null
        ? `the worker exited (${task.exitcode}) while running it`
        : 'failed';
    return ['failed', clip(why, 120), formatSeconds(task.duration)].join(' · ');
  }
  return ['slow', formatSeconds(task.duration), taskPlace(task)].join(' · ');
}

export function taskIcon(task: TaskSnapshot): IconChoice {
  return task.ok ? { id: 'watch', color: 'charts.yellow' } : { id: 'error', color: 'testing.iconFailed' };
}

export function taskTooltip(task: TaskSnapshot): string {
  const lines = [`**${escapeMarkdown(task.func ?? 'task')}** — ${task.ok ? 'slow task' : 'failed task'} on worker pid ${task.workerPid}`];
  lines.push(escapeMarkdown(taskPlace(task)));
  lines.push(`Started ${new Date(task.started * 1000).toLocaleTimeString()}, took ${formatSeconds(task.duration)}`);
  if (task.exitcode !== null) {
    lines.push(`The worker process ended while running it, with exit code ${task.exitcode}.`);
  }
  let markdown = lines.join('  \n');
  const exception = task.exception;
  if (exception) {
    markdown += `\n\n**${escapeMarkdown(exception.type)}**: ${escapeMarkdown(exception.message)}`;
    if (exception.site) {
      markdown += `  \nRaised at: ${escapeMarkdown(siteText(exception.site))}`;
    }
    if (exception.traceback) {
      markdown += `\n\n${codeBlock(exception.traceback.replace(/\s+$/, ''), 'text')}`;
    }
  }
  return markdown;
}

// ---- the Helpers group ----------------------------------------------------------------------

/** `3 processes · 1 running`. */
export function helpersDescription(helpers: readonly ProcessSnapshot[]): string {
  const alive = helpers.filter((helper) => isAlive(helper.state)).length;
  const count = helpers.length === 1 ? '1 process' : `${helpers.length} processes`;
  return alive > 0 ? `${count} · ${alive} running` : count;
}

export function helpersTooltip(helpers: readonly ProcessSnapshot[]): string {
  const lines = ['**Helpers**: processes multiprocessing starts for its own needs'];
  for (const helper of helpers) {
    lines.push(`${escapeMarkdown(helper.role ? roleText(helper.role) : helper.name)} — pid ${helper.pid}, ${helper.state}`);
  }
  return lines.join('  \n');
}

export const HELPERS_ICON: IconChoice = { id: 'tools' };

// ---- queues ---------------------------------------------------------------------------------

/** What a queue holds: the backlog a process read, else puts minus gets (approximate: `≈`). */
export function queueBacklogText(queue: QueueSnapshot): string | undefined {
  const bound = queue.maxsize === null ? '' : `/${queue.maxsize}`;
  if (queue.backlog !== null) {
    return `backlog ${queue.backlog}${bound}`;
  }
  const difference = queue.puts - queue.gets;
  return queue.uses.length > 0 && difference >= 0 ? `≈${difference}${bound} queued` : undefined;
}

/** `backlog 3/10 · 120 put · 117 got · 2 long waits · left over`. */
export function queueDescription(queue: QueueSnapshot): string {
  const parts: string[] = [];
  const backlog = queueBacklogText(queue);
  if (backlog !== undefined) {
    parts.push(backlog);
  }
  parts.push(`${queue.puts} put`, `${queue.gets} got`);
  if (queue.waitCount > 0) {
    parts.push(queue.waitCount === 1 ? '1 long wait' : `${queue.waitCount} long waits`);
  }
  const lost = queue.leftovers.reduce((sum, leftover) => sum + leftover.buffered, 0);
  if (lost > 0) {
    parts.push(`${lost} lost`);
  } else if (queue.leftovers.length > 0) {
    parts.push('left over');
  }
  return parts.join(' · ');
}

export function queueIcon(queue: QueueSnapshot): IconChoice {
  const troubled = queue.waitCount > 0 || queue.leftovers.length > 0;
  return troubled ? { id: 'inbox', color: 'charts.yellow' } : { id: 'inbox' };
}

function waitLines(waits: readonly WaitSnapshot[], on: string, count: number): string[] {
  if (waits.length === 0) {
    return [];
  }
  const lines = [`Long waits (${count}, newest first):`];
  for (const wait of [...waits].reverse().slice(0, 8)) {
    lines.push(`- pid ${wait.pid} ${escapeMarkdown(waitText(wait, on))}`);
  }
  return lines;
}

export function queueTooltip(queue: QueueSnapshot): string {
  const label = queueLabel(queue);
  const lines = [`**${escapeMarkdown(label)}** ${escapeMarkdown(queue.id)}${queue.creatorPid === null ? '' : ` — created by pid ${queue.creatorPid}`}`];
  if (queue.site) {
    lines.push(`Created at: ${escapeMarkdown(siteText(queue.site))}`);
  }
  lines.push(queue.maxsize === null ? 'Unbounded' : `maxsize ${queue.maxsize}`);
  const backlog = queueBacklogText(queue);
  if (backlog !== undefined) {
    lines.push(escapeMarkdown(backlog));
  }
  if (queue.managerAddress) {
    lines.push(`Held by the Manager at ${escapeMarkdown(queue.managerAddress)}`);
  }
  for (const use of queue.uses) {
    const joinable = use.taskDone > 0 || use.joins > 0 ? `, ${use.taskDone} task_done(), ${use.joins} join()` : '';
    lines.push(`pid ${use.pid}: ${use.puts} put, ${use.gets} got${joinable}`);
  }
  let markdown = lines.join('  \n');
  const waits = waitLines(queue.waits, label, queue.waitCount);
  if (waits.length > 0) {
    markdown += `\n\n${waits.join('\n')}`;
  }
  for (const leftover of queue.leftovers) {
    const held = leftover.backlog === null ? 'items' : `${leftover.backlog} items`;
    const lost = leftover.buffered > 0 ? `; ${leftover.buffered} it put never left it (lost)` : '';
    markdown += `\n\npid ${leftover.pid} ended while the queue still held ${held}${lost}.`;
  }
  return markdown;
}

// ---- the Shared objects group and its members ------------------------------------------------

const KIND_NOUNS: Readonly<Record<OwnedObject['kind'], [string, string]>> = {
  queue: ['queue', 'queues'],
  pipe: ['pipe', 'pipes'],
  sync: ['lock', 'locks'],
  manager: ['manager', 'managers'],
  shared: ['shared object', 'shared objects'],
};

/** `2 locks · 1 pipe · 1 manager`. */
export function objectsDescription(objects: readonly OwnedObject[]): string {
  const counts = new Map<OwnedObject['kind'], number>();
  for (const object of objects) {
    counts.set(object.kind, (counts.get(object.kind) ?? 0) + 1);
  }
  return [...counts.entries()].map(([kind, count]) => `${count} ${KIND_NOUNS[kind][count === 1 ? 0 : 1]}`).join(' · ');
}

export const OBJECTS_ICON: IconChoice = { id: 'references' };

function pipeDescription(pipe: PipeSnapshot): string {
  const parts = [`${pipe.sends} sent`, `${pipe.recvs} received`];
  if (pipe.waitCount > 0) {
    parts.push(pipe.waitCount === 1 ? '1 long wait' : `${pipe.waitCount} long waits`);
  }
  return parts.join(' · ');
}

function syncDescription(sync: SyncSnapshot): string {
  const parts: string[] = [];
  if (sync.value !== null && (sync.syncKind === 'Semaphore' || sync.syncKind === 'BoundedSemaphore')) {
    parts.push(`value ${sync.value}`);
  }
  if (sync.parties !== null) {
    parts.push(`${sync.parties} parties`);
  }
  if (sync.waitCount === 0) {
    parts.push('no long waits');
    return parts.join(' · ');
  }
  parts.push(sync.waitCount === 1 ? '1 long wait' : `${sync.waitCount} long waits`, `longest ${formatSeconds(sync.longestWait)}`);
  const last = sync.waits[sync.waits.length - 1];
  if (last?.holderPid !== null && last?.holderPid !== undefined) {
    parts.push(`held by pid ${last.holderPid}`);
  }
  return parts.join(' · ');
}

function managerDescription(manager: ManagerSnapshot): string {
  if (manager.connected) {
    return manager.address ? `connected to ${manager.address}` : 'connected';
  }
  return manager.serverPid !== null ? `server pid ${manager.serverPid}` : 'server not seen';
}

function sharedDescription(shared: SharedSnapshot): string {
  const parts: string[] = [];
  if (shared.size !== null) {
    parts.push(`${shared.size} bytes`);
  }
  if (shared.lock !== null && (shared.sharedKind === 'Value' || shared.sharedKind === 'Array')) {
    parts.push(shared.lock ? 'with lock' : 'no lock');
  }
  if (shared.managerAddress) {
    parts.push('in a Manager');
  }
  return parts.join(' · ');
}

export function objectDescription(object: OwnedObject): string {
  switch (object.kind) {
    case 'queue':
      return queueDescription(object.record);
    case 'pipe':
      return pipeDescription(object.record);
    case 'sync':
      return syncDescription(object.record);
    case 'manager':
      return managerDescription(object.record);
    case 'shared':
      return sharedDescription(object.record);
    default: {
      const unknown: never = object;
      return String(unknown);
    }
  }
}

const SYNC_ICONS: Readonly<Record<string, string>> = {
  Lock: 'lock',
  RLock: 'lock',
  Semaphore: 'symbol-numeric',
  BoundedSemaphore: 'symbol-numeric',
  Condition: 'bell-dot',
  Event: 'bell',
  Barrier: 'shield',
};

const SHARED_ICONS: Readonly<Record<string, string>> = {
  Value: 'symbol-variable',
  RawValue: 'symbol-variable',
  Array: 'symbol-array',
  RawArray: 'symbol-array',
  SharedMemory: 'database',
  ShareableList: 'database',
  manager: 'symbol-object',
};

export function objectIcon(object: OwnedObject): IconChoice {
  switch (object.kind) {
    case 'queue':
      return queueIcon(object.record);
    case 'pipe':
      return object.record.waitCount > 0 ? { id: 'arrow-swap', color: 'charts.yellow' } : { id: 'arrow-swap' };
    case 'sync': {
      const id = SYNC_ICONS[object.record.syncKind ?? ''] ?? 'lock';
      return object.record.waitCount > 0 ? { id, color: 'charts.yellow' } : { id };
    }
    case 'manager':
      return { id: 'server' };
    case 'shared':
      return { id: SHARED_ICONS[object.record.sharedKind ?? ''] ?? 'symbol-object' };
    default: {
      const unknown: never = object;
      return unknown;
    }
  }
}

export function objectTooltip(object: OwnedObject): string {
  if (object.kind === 'queue') {
    return queueTooltip(object.record);
  }
  const record = object.record;
  const label = ownedLabel(object);
  const lines = [`**${escapeMarkdown(label)}** ${escapeMarkdown(record.id)}${record.creatorPid === null ? '' : ` — created by pid ${record.creatorPid}`}`];
  if (record.site) {
    lines.push(`Created at: ${escapeMarkdown(siteText(record.site))}`);
  }
  let waits: string[] = [];
  switch (object.kind) {
    case 'pipe':
      lines.push(object.record.duplex === false ? 'One-way: the first end receives, the second sends' : 'Duplex: both ends send and receive');
      for (const use of object.record.uses) {
        lines.push(`pid ${use.pid} on end ${escapeMarkdown(use.conn)}: ${use.sends} sent, ${use.recvs} received`);
      }
      waits = waitLines(object.record.waits, label, object.record.waitCount);
      break;
    case 'sync':
      if (object.record.maxvalue !== null) {
        lines.push(`maxvalue ${object.record.maxvalue}`);
      }
      waits = waitLines(object.record.waits, label, object.record.waitCount);
      break;
    case 'manager':
      if (object.record.className) {
        lines.push(`Class: ${escapeMarkdown(object.record.className)}`);
      }
      if (object.record.address) {
        lines.push(`Listens at ${escapeMarkdown(object.record.address)}`);
      }
      lines.push(escapeMarkdown(managerDescription(object.record)));
      break;
    case 'shared':
      for (const [what, value] of [['Type code', object.record.typecode], ['Name', object.record.name], ['Type id', object.record.typeid], ['Manager', object.record.managerAddress]] as const) {
        if (value) {
          lines.push(`${what}: ${escapeMarkdown(value)}`);
        }
      }
      if (object.record.length !== null) {
        lines.push(`${object.record.length} items`);
      }
      break;
    default: {
      const unknown: never = object;
      return String(unknown);
    }
  }
  let markdown = lines.join('  \n');
  if (waits.length > 0) {
    markdown += `\n\n${waits.join('\n')}`;
  }
  return markdown;
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
