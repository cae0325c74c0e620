// The timeline of one session, derived from the model: one lane per process in tree order
// (parents before children, siblings by start time), a lifetime bar per lane, task bars for
// workers when the model knows their tasks, and markers for the moments that matter (a signal
// sent, an exit, an exception, a hook failure). The Timeline view and the trace export both
// render this, so they always agree with each other and with the tree. No `vscode` import.
import type { SessionView } from '../model/session';
import type { ExitSnapshot, ProcessSnapshot, ProcessState, Role } from '../model/types';
import { exitText, siteText } from '../views/processPresentation';

export type MarkerKind =
  /** terminate() or kill() was called on the process. */
  | 'signal-sent'
  /** Ended with exit code 0. */
  | 'exit'
  /** Ended with a non-zero exit code and no exception. */
  | 'failed'
  /** run() raised. */
  | 'exception'
  /** Ended by a signal. */
  | 'killed'
  /** Its stream closed and nobody reported how it ended. */
  | 'lost'
  /** An mpscope hook failed in the process. */
  | 'runtime-error';

export const MARKER_KINDS: readonly MarkerKind[] = ['signal-sent', 'exit', 'failed', 'exception', 'killed', 'lost', 'runtime-error'];

export interface TimelineMarker {
  readonly kind: MarkerKind;
  /** Seconds since the epoch. */
  readonly t: number;
  readonly label: string;
}

export type TaskState = 'running' | 'done' | 'failed';

/** One task (or chunk of tasks) a worker ran. */
export interface TimelineTask {
  /** Unique within the session. */
  readonly id: string;
  readonly start: number;
  /** Null while it runs. */
  readonly end: number | null;
  readonly state: TaskState;
  /** Short text: the function, and the exception when it failed. */
  readonly label: string;
}

export interface TimelineLane {
  readonly key: string;
  readonly pid: number;
  readonly name: string;
  /** Nesting depth in the process tree (0 for a root). */
  readonly depth: number;
  readonly parentKey: string | null;
  readonly role: Role | null;
  readonly state: ProcessState;
  /** Start of the lifetime bar; null when nothing says when the process started. */
  readonly start: number | null;
  /** End of the lifetime bar; null while the process runs. */
  readonly end: number | null;
  /** `exit 1`, `SIGKILL`, or null while unknown. */
  readonly outcome: string | null;
  /** Lines for a hover: what the tree's tooltip says, as plain text. */
  readonly details: readonly string[];
  readonly markers: readonly TimelineMarker[];
  /** Sorted by start. */
  readonly tasks: readonly TimelineTask[];
}

export interface Timeline {
  readonly sessionId: string;
  readonly label: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** In tree order: a process's lane comes after its parent's and before its next sibling's. */
  readonly lanes: readonly TimelineLane[];
}

/**
 * Where task data comes from: the model's task records for a worker, as timeline tasks. The
 * timeline does not depend on how the model stores tasks; see taskSource.ts for the adapter.
 */
export type TaskSource = (session: SessionView, process: ProcessSnapshot) => readonly TimelineTask[];

export const noTasks: TaskSource = () => [];

const MAX_LABEL = 200;

export function buildTimeline(session: SessionView, tasks: TaskSource = noTasks): Timeline {
  const lanes: TimelineLane[] = [];
  // Depth-first without recursion: a long chain of processes cannot overflow the stack.
  const stack: Array<{ readonly process: ProcessSnapshot; readonly depth: number }> = [];
  const pushChildren = (parentKey: string | null, depth: number): void => {
    const children = [...session.children(parentKey)].sort(byStart);
    for (let index = children.length - 1; index >= 0; index--) {
      stack.push({ process: children[index] as ProcessSnapshot, depth });
    }
  };
  pushChildren(null, 0);
  const seen = new Set<string>();
  while (stack.length > 0) {
    const { process, depth } = stack.pop() as { process: ProcessSnapshot; depth: number };
    if (seen.has(process.key)) {
      continue;
    }
    seen.add(process.key);
    lanes.push(laneOf(session, process, depth, tasks));
    pushChildren(process.key, depth + 1);
  }
  return { sessionId: session.id, label: session.label, startedAt: session.startedAt, endedAt: session.endedAt, lanes };
}

export function laneOf(session: SessionView, process: ProcessSnapshot, depth: number, tasks: TaskSource = noTasks): TimelineLane {
  const markers = markersOf(process);
  const laneTasks = [...tasks(session, process)].sort((a, b) => a.start - b.start);
  let earliest = laneTasks.length > 0 ? (laneTasks[0] as TimelineTask).start : Number.POSITIVE_INFINITY;
  for (const marker of markers) {
    earliest = Math.min(earliest, marker.t);
  }
  return {
    key: process.key,
    pid: process.pid,
    name: process.name,
    depth,
    parentKey: process.parentKey,
    role: process.role,
    state: process.state,
    start: process.startedAt ?? (Number.isFinite(earliest) ? earliest : null),
    end: process.endedAt,
    outcome: exitText(process.exit) ?? null,
    details: detailsOf(process),
    markers,
    tasks: laneTasks,
  };
}

export function markersOf(process: ProcessSnapshot): TimelineMarker[] {
  const markers: TimelineMarker[] = [];
  if (process.signalled) {
    const { method, signal, byPid, t } = process.signalled;
    markers.push({ kind: 'signal-sent', t, label: clip(`${method}() sent ${signal} (from pid ${byPid})`) });
  }
  if (process.exit) {
    markers.push(exitMarker(process.state, process.exit));
  }
  for (const error of process.runtimeErrors) {
    markers.push({ kind: 'runtime-error', t: error.t, label: clip(`mpscope hook failed in ${error.where}: ${error.message}`) });
  }
  return markers.sort((a, b) => a.t - b.t);
}

function exitMarker(state: ProcessState, exit: ExitSnapshot): TimelineMarker {
  const outcome = exitText(exit);
  if (state === 'lost') {
    return { kind: 'lost', t: exit.t, label: 'lost: its stream closed without an exit record' };
  }
  if (state === 'killed') {
    return { kind: 'killed', t: exit.t, label: clip(`killed by ${outcome ?? 'a signal'}`) };
  }
  if (exit.exception) {
    const first = firstLine(exit.exception.message);
    const text = first ? `${exit.exception.type}: ${first}` : exit.exception.type;
    return { kind: 'exception', t: exit.t, label: clip(outcome ? `${text} (${outcome})` : text) };
  }
  if (state === 'failed') {
    return { kind: 'failed', t: exit.t, label: clip(outcome ?? 'failed') };
  }
  return { kind: 'exit', t: exit.t, label: outcome ?? 'exited' };
}

/** The hover text of a lane: who the process is and how it ended, as plain lines. */
export function detailsOf(process: ProcessSnapshot): string[] {
  const lines = [`${process.name} — pid ${process.pid}`];
  const outcome = exitText(process.exit);
  lines.push(`State: ${process.state}${outcome === undefined ? '' : ` (${outcome})`}`);
  const facts = [process.role, process.startMethod].filter((fact): fact is NonNullable<typeof fact> => fact !== null);
  if (facts.length > 0) {
    lines.push(`Role: ${facts.join(', ')}`);
  }
  if (process.target) {
    lines.push(`Target: ${process.target}`);
  }
  if (process.site) {
    lines.push(`Created at: ${siteText(process.site)}`);
  }
  const exception = process.exit?.exception;
  if (exception) {
    lines.push(`${exception.type}: ${firstLine(exception.message)}`);
  }
  return lines.map(clip);
}

function byStart(a: ProcessSnapshot, b: ProcessSnapshot): number {
  const left = a.startedAt ?? Number.POSITIVE_INFINITY;
  const right = b.startedAt ?? Number.POSITIVE_INFINITY;
  return left === right ? 0 : left < right ? -1 : 1;
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

function clip(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}
