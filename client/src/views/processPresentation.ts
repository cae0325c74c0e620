// How a process and a session look in the tree: text, icon choice and tooltip Markdown. Kept
// free of `vscode` so unit tests can check exactly what users will read.
import type { SessionView } from '../model/session';
import type { ExitSnapshot, ProcessSnapshot, ProcessState, Site } from '../model/types';
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

/** The tree item's description: `4242 · killed · SIGKILL`. */
export function processDescription(process: ProcessSnapshot): string {
  const parts = [String(process.pid), process.state];
  const outcome = exitText(process.exit);
  if (outcome !== undefined) {
    parts.push(outcome);
  }
  return parts.join(' · ');
}

export function sessionDescription(session: SessionView): string {
  const count = session.processCount;
  if (count === 0 && session.endedAt === null) {
    return 'waiting for the program to connect…';
  }
  const processes = count === 1 ? '1 process' : `${count} processes`;
  return `${session.endedAt === null ? 'running' : 'ended'} · ${processes}`;
}

/** `file.py:12` (with the function when known), for tooltips and labels. */
export function siteText(site: Site): string {
  const where = `${site.file}:${site.line}`;
  return site.function ? `${where} in ${site.function}` : where;
}

/** Tooltip Markdown for a process; every value from the program is escaped. */
export function processTooltip(process: ProcessSnapshot): string {
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
  if (process.state === 'lost') {
    lines.push('Its event stream closed without an exit record.');
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
