// How the Processes view shows what is not a process: a pool (or executor), a worker's failed or
// slow task, the Helpers group. Labels, descriptions, icons and tooltip Markdown, free of
// `vscode` so unit tests check exactly what users read; every value from the program is escaped.
import type { PoolSnapshot, ProcessSnapshot, ProcessState, SubmissionSnapshot, TaskCountsSnapshot, TaskSnapshot } from '../model/types';
import { roleText } from '../model/roles';
import { codeBlock, escapeMarkdown } from './markdown';
import { formatSeconds, IconChoice, siteText } from './processPresentation';

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

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
