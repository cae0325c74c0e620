// How a process and a session look in the tree: text, icon choice and tooltip Markdown. Kept
// free of `vscode` so unit tests can check exactly what users will read.
import type { SessionView } from '../model/session';
import type { ExitSnapshot, ProcessSnapshot, ProcessState, Site, TaskCountsSnapshot, WaitSnapshot } from '../model/types';
import { ownedLabel } from './ownedLabels';
import { aliveInOs } from '../model/osSnapshot';
import { codeBlock, escapeMarkdown } from './markdown';

/** A codicon id and the theme color that tints it (undefined: the default foreground). */
export interface IconChoice {
  readonly id: string;
  readonly color?: string;
}

const STATE_ICONS: Readonly<Record<ProcessState, IconChoice>> = {
  starting: { id: 'loading~spin' },
  running: { id: 'play-circle', color: 'charts.blue' },
  exited: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  killed: { id: 'circle-slash', color: 'charts.orange' },
  lost: { id: 'question', color: 'disabledForeground' },
  zombie: { id: 'warning', color: 'charts.purple' },
  orphan: { id: 'debug-disconnect', color: 'charts.yellow' },
};

export function processIcon(state: ProcessState): IconChoice {
  return STATE_ICONS[state];
}

export function sessionIcon(session: SessionView): IconChoice {
  return session.endedAt === null ? { id: 'run-all', color: 'charts.blue' } : { id: 'history' };
}

/** `SIGKILL`, `exit 1`, or undefined while nothing is known about the end. */
export function exitText(exit: ExitSnapshot | null): string | undefined {
  if (!exit) {
    return undefined;
  }
  if (exit.signal !== null) {
    return exit.signal;
  }
  return exit.exitcode === null ? undefined : `exit ${exit.exitcode}`;
}

/** What the session knows about a process beyond its own record. */
export interface ProcessContext {
  /** The session ended and the OS still lists the process alive. */
  readonly survivor?: boolean;
  /** A worker's task totals. */
  readonly tasks?: TaskCountsSnapshot;
  /** Its latest long waits (on queues, pipes, locks), with what it waited on. */
  readonly waits?: ReadonlyArray<{ readonly wait: WaitSnapshot; readonly on: string }>;
}

/**
 * The tree item's description: `pid · state · exit or signal · duration`, then what else holds:
 * `4242 · killed · SIGKILL · 3.2 s`, `4243 · exited · exit 0 · 1.0 s · 12 done · 1 failed`,
 * `4244 · running · orphan`.
 */
export function processDescription(process: ProcessSnapshot, context: ProcessContext = {}): string {
  const parts = [String(process.pid), process.state];
  const outcome = exitText(process.exit);
  if (outcome !== undefined) {
    parts.push(outcome);
  }
  const lifetime = lifetimeSeconds(process);
  if (lifetime !== undefined) {
    parts.push(formatSeconds(lifetime));
  }
  if (context.tasks) {
    parts.push(...taskCountParts(context.tasks));
  }
  if (process.orphaned && process.state !== 'orphan') {
    parts.push('orphan');
  }
  if (context.survivor) {
    parts.push('survivor');
  }
  return parts.join(' · ');
}

export function sessionDescription(session: SessionView): string {
  const count = session.processCount;
  if (count === 0 && session.endedAt === null) {
    return 'waiting for the program to connect…';
  }
  const processes = count === 1 ? '1 process' : `${count} processes`;
  const survivors = session.survivors().length;
  const survived = survivors === 0 ? '' : ` · ${survivors === 1 ? '1 survivor' : `${survivors} survivors`}`;
  return `${session.endedAt === null ? 'running' : 'ended'} · ${processes}${survived}`;
}

/** The context a process is shown in: whether it outlived its session. */
export function processContext(session: SessionView, process: ProcessSnapshot): ProcessContext {
  const tasks = session.objects.tasksOf(process.key)?.counts;
  const survivor = session.endedAt !== null && aliveInOs(process);
  const waits = session.objects.waitsOf(process.key).map((wait) => {
    const object = session.objects.owned(wait.object.kind, wait.object.id);
    return { wait, on: object ? ownedLabel(object) : wait.object.kind };
  });
  return {
    survivor,
    ...(tasks ? { tasks } : {}),
    ...(waits.length > 0 ? { waits } : {}),
  };
}

const WAIT_VERBS: Readonly<Record<string, string>> = {
  put: 'in put() on',
  get: 'in get() on',
  join: 'in join() on',
  send: 'in send() on',
  recv: 'in recv() on',
  acquire: 'to acquire',
  wait: 'in wait() on',
};

/**
 * `waited 2.0 s to acquire Lock at job.py:12 (held by pid 4242)`, `waited 1.5 s in get() on
 * Queue at job.py:30, timed out` — plain text (escape it for Markdown).
 */
export function waitText(wait: WaitSnapshot, on: string): string {
  const parts = [`waited ${formatSeconds(wait.waited)} ${WAIT_VERBS[wait.op] ?? `in ${wait.op}() on`} ${on}`];
  if (wait.site) {
    parts[0] += ` at ${siteText(wait.site)}`;
  }
  if (wait.holderPid !== null) {
    parts[0] += ` (held by pid ${wait.holderPid})`;
  }
  if (wait.outcome === 'timeout') {
    parts.push('timed out');
  } else if (wait.outcome === 'interrupted') {
    parts.push('interrupted');
  }
  return parts.join(', ');
}

/**
 * How long an ended process lived; undefined while it runs, when its start is unknown, or when
 * the reports disagree (an end before the start: clocks of different machines or a saved file
 * edited by hand), rather than a made-up number.
 */
export function lifetimeSeconds(process: ProcessSnapshot): number | undefined {
  if (process.endedAt === null || process.startedAt === null || process.endedAt < process.startedAt) {
    return undefined;
  }
  return process.endedAt - process.startedAt;
}

/** `12 done`, `1 failed` (failed only when some did). */
export function taskCountParts(counts: TaskCountsSnapshot): string[] {
  const parts = [`${counts.done} done`];
  if (counts.failed > 0) {
    parts.push(`${counts.failed} failed`);
  }
  return parts;
}

/** `file.py:12` (with the function when known), for tooltips and labels. */
export function siteText(site: Site): string {
  const where = `${site.file}:${site.line}`;
  return site.function ? `${where} in ${site.function}` : where;
}

/** Tooltip Markdown for a process; every value from the program is escaped. */
export function processTooltip(process: ProcessSnapshot, context: ProcessContext = {}): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(process.name)}** — pid ${process.pid}`);
  const outcome = exitText(process.exit);
  lines.push(`State: ${process.state}${outcome === undefined ? '' : ` (${escapeMarkdown(outcome)})`}`);
  if (process.site) {
    lines.push(`Created at: ${escapeMarkdown(siteText(process.site))}`);
  }
  if (process.target) {
    lines.push(`Target: ${escapeMarkdown(process.target)}`);
  }
  if (process.role) {
    lines.push(`Role: ${escapeMarkdown(process.role)}`);
  }
  if (process.startMethod) {
    lines.push(`Start method: ${escapeMarkdown(process.startMethod)}`);
  }
  if (process.args) {
    lines.push(`Arguments: ${escapeMarkdown(process.args)}`);
  }
  if (process.pool !== null) {
    lines.push(`Worker of pool ${escapeMarkdown(process.pool)}${process.replacement ? ', started to replace a worker that exited' : ''}`);
  }
  const lifetime = lifetimeSeconds(process);
  if (lifetime !== undefined) {
    lines.push(`Lived ${formatSeconds(lifetime)}`);
  } else if (process.startedAt !== null && process.endedAt === null) {
    lines.push(`Started at ${new Date(process.startedAt * 1000).toLocaleTimeString()}`);
  }
  if (context.tasks) {
    const { done, failed, time, max } = context.tasks;
    lines.push(`Tasks: ${done} done, ${failed} failed, ${formatSeconds(time)} in tasks, longest ${formatSeconds(max)}`);
  }
  // The latest long waits, newest first: where a slow or stuck process spent its time.
  for (const { wait, on } of [...(context.waits ?? [])].reverse().slice(0, 5)) {
    lines.push(`Long wait: ${escapeMarkdown(waitText(wait, on))}`);
  }
  if (process.logicalParentPid !== null && process.osParentPid !== null && process.logicalParentPid !== process.osParentPid) {
    lines.push(`Started by pid ${process.logicalParentPid} (OS parent: pid ${process.osParentPid})`);
  }
  if (process.signalled) {
    lines.push(
      `${escapeMarkdown(process.signalled.method)}() sent ${escapeMarkdown(process.signalled.signal)} from pid ${process.signalled.byPid}`,
    );
  }
  if (process.joined?.alive) {
    lines.push(`join() by pid ${process.joined.byPid} timed out after ${formatSeconds(process.joined.waited)}`);
  }
  if (process.external) {
    lines.push(`Not reporting to mpscope (e.g. not a Python process): seen in the OS process list as ${escapeMarkdown(process.os?.command ?? process.name)}, exit status unknown.`);
  }
  if (process.state === 'lost') {
    lines.push(process.os !== null && process.os.vanishedAt !== null
      ? 'It ended without an exit record (it vanished from the OS process list).'
      : 'Its event stream closed without an exit record.');
  }
  if (process.state === 'zombie') {
    lines.push(`Zombie: it has ended, but its parent (pid ${process.os?.ppid ?? '?'}) has not reaped it yet.`);
  }
  if (process.orphaned) {
    lines.push(process.state === 'orphan' ? 'Orphan: its parent ended while it still runs.' : 'Orphan: its parent ended before it did.');
  }
  if (context.survivor) {
    lines.push('Survivor: it still runs after its session ended ("Kill Survivors" on the session ends it).');
  }
  let markdown = lines.join('  \n');
  const exception = process.exit?.exception;
  if (exception) {
    markdown += `\n\n**${escapeMarkdown(exception.type)}**: ${escapeMarkdown(exception.message)}`;
    if (exception.traceback) {
      markdown += `\n\n${codeBlock(exception.traceback.replace(/\s+$/, ''), 'text')}`;
    }
  }
  for (const error of process.runtimeErrors) {
    markdown += `\n\nmpscope hook failed in ${escapeMarkdown(error.where)}: ${escapeMarkdown(error.message)}`;
  }
  return markdown;
}

export function sessionTooltip(session: SessionView): string {
  const counts = new Map<ProcessState, number>();
  for (const process of session.allProcesses()) {
    counts.set(process.state, (counts.get(process.state) ?? 0) + 1);
  }
  const lines = [`**${escapeMarkdown(session.label)}**`];
  lines.push(`Started ${new Date(session.startedAt * 1000).toLocaleTimeString()}` +
    (session.endedAt === null ? '' : `, ended after ${formatSeconds(session.endedAt - session.startedAt)}`));
  const summary = [...counts.entries()].map(([state, count]) => `${count} ${state}`).join(', ');
  if (summary) {
    lines.push(summary);
  }
  if (session.ignoredEvents > 0) {
    lines.push(`${session.ignoredEvents} events could not be applied`);
  }
  return lines.join('  \n');
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) {
    return `${Math.round(seconds * 1000)} ms`;
  }
  if (seconds < 60) {
    return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
