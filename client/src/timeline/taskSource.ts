// The model's tasks as timeline bars: every task a worker reported one by one (failed ones,
// slow ones, all of them in full detail), bounded per worker by the model. Tasks folded into
// counters have no time of their own and draw no bar.
import type { TaskSnapshot } from '../model/types';
import type { TaskSource, TimelineTask } from './timeline';

const MAX_LABEL = 200;

export const modelTasks: TaskSource = (session, process) => {
  const tasks = session.objects.tasksOf(process.key);
  if (!tasks) {
    return [];
  }
  // Failed tasks beyond the recent window are kept too: a failure must stay visible.
  const byId = new Map<string, TaskSnapshot>();
  for (const task of tasks.failed) {
    byId.set(task.id, task);
  }
  for (const task of tasks.recent) {
    byId.set(task.id, task);
  }
  return [...byId.values()].map(timelineTask);
};

export function timelineTask(task: TaskSnapshot): TimelineTask {
  const name = task.func ?? 'task';
  const place = task.index === null ? `job ${task.job}` : `job ${task.job} #${task.index}`;
  const label = task.ok
    ? `${name} (${place})`
    : `${name} (${place}) failed: ${task.exception ? `${task.exception.type}: ${firstLine(task.exception.message)}` : `worker exited ${task.exitcode ?? ''}`.trim()}`;
  return {
    id: task.id,
    start: task.started,
    end: task.started + task.duration,
    state: task.ok ? 'done' : 'failed',
    label: label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label,
  };
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}
