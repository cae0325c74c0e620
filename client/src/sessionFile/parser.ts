// Reads the lines of a session file one at a time: a saved session's header, protocol events (as
// the runtime wrote them), and the collector's stream closings. A line that is none of these is
// skipped and counted with its reason, and the first few are kept with their line numbers so the
// user can be told exactly what was wrong.
import { isValidEvent } from '../protocol/eventSchema';
import type { MpscopeEvent } from '../protocol/events';
import type { OsProcess, OsSnapshot } from '../model/osSnapshot';
import type { SessionKind } from '../model/types';
import type { SessionHeader } from './format';

export type SkipReason =
  /** Not JSON at all. */
  | 'not-json'
  /** JSON, but not an event of this protocol version (unknown kind, missing or wrong fields). */
  | 'not-an-event'
  /** A line of the saved-session format that this version does not know or that is malformed. */
  | 'bad-annotation'
  /** A second header (e.g. two files concatenated): only the first one describes the session. */
  | 'extra-header'
  /** Longer than the line bound. */
  | 'oversize'
  /** Not valid UTF-8. */
  | 'invalid-utf8';

export type ParsedLine =
  | { readonly type: 'header'; readonly header: SessionHeader }
  | { readonly type: 'event'; readonly event: MpscopeEvent }
  | { readonly type: 'closed'; readonly pid: number; readonly t: number }
  | { readonly type: 'os'; readonly snapshot: OsSnapshot }
  | { readonly type: 'debuggee'; readonly pid: number }
  | { readonly type: 'skipped'; readonly reason: SkipReason };

export interface SkippedLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly reason: SkipReason;
}

const SKIP_EXAMPLES = 5;
const BYTE_ORDER_MARK = '\ufeff';
const SESSION_KINDS: readonly SessionKind[] = ['run', 'debug', 'replay'];

export class SessionFileParser {
  private lineNumber = 0;
  private sawHeader = false;
  private readonly counts = new Map<SkipReason, number>();
  private readonly examples: SkippedLine[] = [];

  /** Lines read so far (empty lines included). */
  get lines(): number {
    return this.lineNumber;
  }

  /** How many lines were skipped, by reason. */
  get skipped(): ReadonlyMap<SkipReason, number> {
    return this.counts;
  }

  get skippedTotal(): number {
    let total = 0;
    for (const count of this.counts.values()) {
      total += count;
    }
    return total;
  }

  /** The first few skipped lines, for the message to the user. */
  get skippedExamples(): readonly SkippedLine[] {
    return this.examples;
  }

  /** Classifies one line (without its newline); undefined for an empty line. */
  parse(text: string): ParsedLine | undefined {
    this.lineNumber++;
    if (this.lineNumber === 1 && text.startsWith(BYTE_ORDER_MARK)) {
      text = text.slice(1);
    }
    if (text.trim() === '') {
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.skip('not-json');
    }
    if (isRecord(value) && typeof value.mpscope === 'string' && !('kind' in value)) {
      return this.annotation(value);
    }
    if (!isValidEvent(value)) {
      return this.skip('not-an-event');
    }
    return { type: 'event', event: value };
  }

  /** A line the line reader dropped before it could be parsed. */
  dropped(reason: 'oversize' | 'invalid-utf8'): ParsedLine {
    this.lineNumber++;
    return this.skip(reason);
  }

  private annotation(value: Readonly<Record<string, unknown>>): ParsedLine {
    if (value.mpscope === 'session') {
      const header = asHeader(value);
      if (!header) {
        return this.skip('bad-annotation');
      }
      if (this.sawHeader) {
        return this.skip('extra-header');
      }
      this.sawHeader = true;
      return { type: 'header', header };
    }
    if (value.mpscope === 'stream.closed' && isPid(value.pid) && isTime(value.t)) {
      return { type: 'closed', pid: value.pid, t: value.t };
    }
    if (value.mpscope === 'os.snapshot' && isTime(value.t)) {
      const processes = asOsProcesses(value.processes);
      return processes ? { type: 'os', snapshot: { t: value.t, processes } } : this.skip('bad-annotation');
    }
    if (value.mpscope === 'debuggee' && isPid(value.pid) && value.pid > 0) {
      return { type: 'debuggee', pid: value.pid };
    }
    return this.skip('bad-annotation');
  }

  private skip(reason: SkipReason): ParsedLine {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    if (this.examples.length < SKIP_EXAMPLES) {
      this.examples.push({ line: this.lineNumber, reason });
    }
    return { type: 'skipped', reason };
  }
}

function asHeader(value: Readonly<Record<string, unknown>>): SessionHeader | undefined {
  const { format, label, sessionKind, startedAt, endedAt, savedAt, items, dropped } = value;
  if (
    typeof format !== 'number' ||
    typeof label !== 'string' ||
    !SESSION_KINDS.includes(sessionKind as SessionKind) ||
    !isTime(startedAt) ||
    !(endedAt === null || isTime(endedAt))
  ) {
    return undefined;
  }
  return {
    mpscope: 'session',
    format,
    label: label.slice(0, 512),
    sessionKind: sessionKind as SessionKind,
    startedAt,
    endedAt,
    savedAt: isTime(savedAt) ? savedAt : startedAt,
    items: isCount(items) ? items : 0,
    dropped: isCount(dropped) ? dropped : 0,
  };
}

/** `[[pid, ppid, stat, command, startedAt], …]`; undefined when any entry is malformed. */
function asOsProcesses(value: unknown): OsProcess[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const processes: OsProcess[] = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || entry.length !== 5) {
      return undefined;
    }
    const [pid, ppid, stat, command, startedAt] = entry as unknown[];
    if (!isPid(pid) || !isPid(ppid) || typeof stat !== 'string' || typeof command !== 'string' || !(startedAt === null || isTime(startedAt))) {
      return undefined;
    }
    const process: OsProcess = { pid, ppid, stat: stat.slice(0, 16), command: command.slice(0, 1024) };
    processes.push(startedAt === null ? process : { ...process, startedAt });
  }
  return processes;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isPid(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

const REASON_TEXT: Readonly<Record<SkipReason, string>> = {
  'not-json': 'not JSON',
  'not-an-event': 'not an mpscope event',
  'bad-annotation': 'unknown or malformed session line',
  'extra-header': 'second session header',
  'oversize': 'longer than 1 MiB',
  'invalid-utf8': 'not UTF-8',
};

/** `3 lines skipped (2 not JSON, 1 not an mpscope event; first: line 4)`, or '' when none. */
export function describeSkipped(parser: SessionFileParser): string {
  const total = parser.skippedTotal;
  if (total === 0) {
    return '';
  }
  const reasons = [...parser.skipped.entries()].map(([reason, count]) => `${count} ${REASON_TEXT[reason]}`).join(', ');
  const lines = parser.skippedExamples.map((example) => example.line).join(', ');
  const first = parser.skippedExamples.length === 1 ? `line ${lines}` : `lines ${lines}${total > parser.skippedExamples.length ? ', …' : ''}`;
  return `${total} malformed ${total === 1 ? 'line' : 'lines'} skipped (${reasons}; ${first})`;
}
