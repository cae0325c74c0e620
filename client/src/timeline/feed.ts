// What the Timeline panel posts to its webview for one session: a full reset first, then only
// the lanes whose content changed (compared field by field with what was sent) and the lane
// order when it changed. Free of `vscode`, so the message sizes and costs are measured by unit
// tests.
import type { SessionView } from '../model/session';
import type { HostMessage, LaneRow, MarkerRow, SessionHead, TaskRow } from './messages';
import { buildTimeline, TaskSource, TimelineLane } from './timeline';

export type ResetMessage = Extract<HostMessage, { type: 'reset' }>;
export type UpdateMessage = Extract<HostMessage, { type: 'update' }>;

export class TimelineFeed {
  /** Each lane as last sent. */
  private sent = new Map<string, LaneRow>();
  private sentOrder = '';
  private sentHead = '';

  constructor(
    readonly sessionId: string,
    private readonly tasks: TaskSource,
    private readonly clock: () => number,
  ) {}

  /** Everything, e.g. when the webview (re)loads; later updates are relative to this. */
  reset(session: SessionView): ResetMessage {
    const { head, order, rows } = this.build(session);
    this.sent = new Map(rows.map((row) => [row.key, row]));
    this.sentOrder = order.join('\n');
    this.sentHead = headText(head);
    return { type: 'reset', head, order, lanes: rows };
  }

  /** What changed since the last message; undefined when nothing did. */
  update(session: SessionView): UpdateMessage | undefined {
    const { head, order, rows } = this.build(session);
    const changed: LaneRow[] = [];
    const live = new Set<string>();
    for (const row of rows) {
      live.add(row.key);
      const previous = this.sent.get(row.key);
      if (!previous || !sameLane(previous, row)) {
        this.sent.set(row.key, row);
        changed.push(row);
      }
    }
    const removed = [...this.sent.keys()].filter((key) => !live.has(key));
    for (const key of removed) {
      this.sent.delete(key);
    }
    const orderText = order.join('\n');
    const orderChanged = orderText !== this.sentOrder;
    const headChanged = headText(head) !== this.sentHead;
    if (changed.length === 0 && removed.length === 0 && !orderChanged && !headChanged) {
      return undefined;
    }
    this.sentOrder = orderText;
    this.sentHead = headText(head);
    return { type: 'update', head, order: orderChanged ? order : null, lanes: changed, removed };
  }

  private build(session: SessionView): { head: SessionHead; order: string[]; rows: LaneRow[] } {
    const timeline = buildTimeline(session, this.tasks);
    const origin = session.startedAt;
    const rows = timeline.lanes.map((lane) => laneRow(lane, origin));
    const head: SessionHead = {
      id: session.id,
      label: session.label,
      startedAt: origin,
      endedAt: relative(session.endedAt, origin),
      now: relative(this.clock(), origin) as number,
    };
    return { head, order: rows.map((row) => row.key), rows };
  }
}

export function laneRow(lane: TimelineLane, origin: number): LaneRow {
  return {
    key: lane.key,
    pid: lane.pid,
    name: lane.name,
    depth: lane.depth,
    state: lane.state,
    start: relative(lane.start, origin),
    end: relative(lane.end, origin),
    outcome: lane.outcome,
    details: lane.details,
    markers: lane.markers.map((marker) => ({ kind: marker.kind, t: relative(marker.t, origin) as number, label: marker.label })),
    tasks: lane.tasks.map((task) => ({
      id: task.id,
      start: relative(task.start, origin) as number,
      end: relative(task.end, origin),
      state: task.state,
      label: task.label,
    })),
  };
}

/** Seconds since `origin`, rounded to the microsecond. */
export function relative(t: number | null, origin: number): number | null {
  return t === null ? null : Math.round((t - origin) * 1e6) / 1e6;
}

/** Equal content (cheaper than comparing serialized forms: no strings are built). */
export function sameLane(a: LaneRow, b: LaneRow): boolean {
  return (
    a.key === b.key &&
    a.pid === b.pid &&
    a.name === b.name &&
    a.depth === b.depth &&
    a.state === b.state &&
    a.start === b.start &&
    a.end === b.end &&
    a.outcome === b.outcome &&
    sameList(a.details, b.details, (x, y) => x === y) &&
    sameList(a.markers, b.markers, sameMarker) &&
    sameList(a.tasks, b.tasks, sameTask)
  );
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let index = 0; index < a.length; index++) {
    if (!same(a[index] as T, b[index] as T)) {
      return false;
    }
  }
  return true;
}

function sameMarker(a: MarkerRow, b: MarkerRow): boolean {
  return a.kind === b.kind && a.t === b.t && a.label === b.label;
}

function sameTask(a: TaskRow, b: TaskRow): boolean {
  return a.id === b.id && a.start === b.start && a.end === b.end && a.state === b.state && a.label === b.label;
}

/** The head without its clock: a new `now` alone is no reason to send anything. */
function headText(head: SessionHead): string {
  return `${head.id}\n${head.label}\n${head.startedAt}\n${head.endedAt}`;
}
