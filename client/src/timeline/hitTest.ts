// What is under the pointer in the Timeline, and what the hover says about it. Pure (no DOM), so
// the webview and the unit tests use the same code.
import type { LaneRow, MarkerRow, TaskRow } from './messages';
import { formatDuration, timeAt, Viewport, xOf } from './viewport';

export type Hit =
  | { readonly kind: 'marker'; readonly marker: MarkerRow }
  | { readonly kind: 'task'; readonly task: TaskRow }
  | { readonly kind: 'lifetime' }
  | { readonly kind: 'lane' };

/** Pixels around a marker or a thin bar that still count as pointing at it. */
export const HIT_TOLERANCE_PX = 4;

/**
 * What lies at plot coordinate `x` in `lane`: a marker wins over a task, a task over the lifetime
 * bar; anything else on the lane is the lane itself. `now` ends bars that are still open.
 */
export function hitInLane(lane: LaneRow, viewport: Viewport, x: number, now: number): Hit {
  let nearest: MarkerRow | undefined;
  let nearestDistance = HIT_TOLERANCE_PX + 1;
  for (const marker of lane.markers) {
    const distance = Math.abs(xOf(viewport, marker.t) - x);
    if (distance < nearestDistance) {
      nearest = marker;
      nearestDistance = distance;
    }
  }
  if (nearest) {
    return { kind: 'marker', marker: nearest };
  }
  const t = timeAt(viewport, x);
  const slack = HIT_TOLERANCE_PX * viewport.secondsPerPixel;
  const task = taskAt(lane.tasks, t, now, slack);
  if (task) {
    return { kind: 'task', task };
  }
  if (lane.start !== null && t >= lane.start - slack && t <= (lane.end ?? now) + slack) {
    return { kind: 'lifetime' };
  }
  return { kind: 'lane' };
}

/** The task running at `t` (tasks sorted by start; binary search, then a short look back). */
export function taskAt(tasks: readonly TaskRow[], t: number, now: number, slack = 0): TaskRow | undefined {
  let low = 0;
  let high = tasks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((tasks[middle] as TaskRow).start <= t + slack) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  // Tasks of one worker do not overlap, so the few before `low` are the only candidates: the one
  // containing `t` wins, else the nearest within the slack.
  let nearest: TaskRow | undefined;
  let nearestDistance = Number.POSITIVE_INFINITY;
  for (let index = low - 1; index >= 0 && index >= low - 8; index--) {
    const task = tasks[index] as TaskRow;
    const end = task.end ?? now;
    const distance = t < task.start ? task.start - t : t > end ? t - end : 0;
    if (distance <= slack && distance < nearestDistance) {
      nearest = task;
      nearestDistance = distance;
    }
  }
  return nearest;
}

/** Index of the first task that ends at or after `t` (for drawing only what is in view). */
export function firstTaskFrom(tasks: readonly TaskRow[], t: number): number {
  let low = 0;
  let high = tasks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((tasks[middle] as TaskRow).start < t) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  // One earlier task may still be running at `t`.
  return Math.max(0, low - 1);
}

/** The lines of the hover for a hit (plain text: the webview renders them with textContent). */
export function hoverLines(lane: LaneRow, hit: Hit, now: number): string[] {
  switch (hit.kind) {
    case 'marker':
      return [hit.marker.label, `at ${formatDuration(hit.marker.t)} · ${lane.name} (pid ${lane.pid})`];
    case 'task': {
      const { task } = hit;
      const end = task.end ?? now;
      const state = task.end === null ? 'running' : task.state;
      return [task.label, `${state} · ${formatDuration(end - task.start)} from ${formatDuration(task.start)}`, `on ${lane.name} (pid ${lane.pid})`];
    }
    case 'lifetime':
    case 'lane': {
      const lines = [...lane.details];
      if (lane.start !== null) {
        const end = lane.end ?? now;
        const running = lane.end === null ? ', still running' : '';
        lines.push(`Lifetime: ${formatDuration(end - lane.start)} from ${formatDuration(lane.start)}${running}`);
      }
      if (lane.tasks.length > 0) {
        const failed = lane.tasks.filter((task) => task.state === 'failed').length;
        lines.push(`Tasks shown: ${lane.tasks.length}${failed > 0 ? ` (${failed} failed)` : ''}`);
      }
      return lines;
    }
  }
}
