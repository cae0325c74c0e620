// Merging exit reports. Several observers may speak about how one process ended:
// - the process itself (`self`): knows the exception run() raised, not how the OS ended it;
// - its parent or the launcher: know the OS exit status (code or signal), not the exception;
// - the collector: usually only knows the stream closed, or the process vanished from the OS
//   process list, without a word ("lost"); it knows the status only of a survivor it killed.
// The model keeps every report and derives exactly one record from them, so the order in which
// the streams deliver them does not matter.
import type { ExceptionInfo, ExitReporter } from '../protocol/events';
import { SignalTable, signalForExitCode } from './signals';
import type { ExitSnapshot, ProcessState } from './types';

export interface ExitReport {
  readonly reporter: ExitReporter;
  readonly exitcode: number | null;
  readonly signal: string | null;
  readonly exception: ExceptionInfo | null;
  readonly t: number;
}

const REPORTER_ORDER: readonly ExitReporter[] = ['self', 'parent', 'launcher', 'collector'];

/** Reporters that observed the OS exit status, most trusted first for the code and signal. */
const OS_OBSERVERS: readonly ExitReporter[] = ['parent', 'launcher'];

export function mergeExitReports(reports: readonly ExitReport[], signals?: SignalTable): ExitSnapshot | null {
  if (reports.length === 0) {
    return null;
  }
  const informed = reports.filter((report) => report.reporter !== 'collector');
  // A "lost" from the collector only stands while nobody who knows more has spoken.
  const used = informed.length > 0 ? informed : reports;
  const byObservers = used.filter((report) => OS_OBSERVERS.includes(report.reporter));
  const bySelf = used.filter((report) => report.reporter === 'self');

  const exitcode =
    firstDefined(byObservers, (report) => report.exitcode) ??
    firstDefined(bySelf, (report) => report.exitcode) ??
    firstDefined(used, (report) => report.exitcode) ??
    null;
  const signal =
    firstDefined(byObservers, (report) => report.signal) ??
    signalForExitCode(exitcode, signals) ??
    firstDefined(used, (report) => report.signal) ??
    null;
  const exception =
    firstDefined(bySelf, (report) => report.exception) ??
    firstDefined(used, (report) => report.exception) ??
    null;
  // In a fixed order, so the record does not depend on which stream was read first.
  const reporters = REPORTER_ORDER.filter((reporter) => used.some((report) => report.reporter === reporter));
  const t = Math.min(...used.map((report) => report.t));
  return { exitcode, signal, exception, reporters, t };
}

/** The state a process is in, given its merged exit record and whether it said hello. */
export function processState(exit: ExitSnapshot | null, saidHello: boolean): ProcessState {
  if (!exit) {
    return saidHello ? 'running' : 'starting';
  }
  // The collector alone usually knows nothing (a stream closed, a process vanished); when it does
  // know the status, it sent the signal itself (mpscope killed a survivor).
  if (exit.reporters.every((reporter) => reporter === 'collector') && exit.exitcode === null && exit.signal === null) {
    return 'lost';
  }
  if (exit.signal !== null || (exit.exitcode !== null && exit.exitcode < 0)) {
    return 'killed';
  }
  if (exit.exception !== null || (exit.exitcode !== null && exit.exitcode !== 0)) {
    return 'failed';
  }
  return 'exited';
}

function firstDefined<T>(reports: readonly ExitReport[], pick: (report: ExitReport) => T | null): T | undefined {
  for (const report of reports) {
    const value = pick(report);
    if (value !== null) {
      return value;
    }
  }
  return undefined;
}
