// Asking live processes for the stacks of all their threads (hang diagnosis), the collector's
// side of the protocol in docs/protocol.md and runtime/mpscope/stacks.py:
// - `via: signal` (POSIX): send SIGURG to the pid; CPython's faulthandler appends every thread's
//   stack to the process's file in the collector's private directory. There is no end marker:
//   a dump is complete once it ends with a newline and the file stopped growing for a moment.
// - `via: request` (Windows): write a `request.stacks` line on the process's stream; the process
//   answers with a `stacks` event carrying the same id.
// Each answer (or "no answer") becomes a `stacks` event in the model, so a saved session keeps
// it. Only processes whose stream is open are asked: a closed stream means the process ended,
// and its pid may already belong to someone else. Everything outside is injected (tests).
import * as path from 'node:path';
import { canAskForStacks } from '../model/liveness';
import type { Model } from '../model/model';
import type { SessionView } from '../model/session';
import type { ProcessSnapshot, StackDumpSnapshot } from '../model/types';
import { isValidEvent } from '../protocol/eventSchema';
import type { Stacks, StacksRequest, StacksSupport } from '../protocol/events';
import { parseLastFaulthandlerDump } from './faulthandlerDump';

export interface StackDumperHost {
  /** The directory dump files must be in (the collector's private directory), if any. */
  stacksDir(): string | undefined;
  /** The real path of a file or directory (symlinks resolved); throws when it does not exist. */
  realPath(file: string): Promise<string>;
  /** Size of a file in bytes; undefined when it cannot be read. */
  fileSize(file: string): Promise<number | undefined>;
  /** The file's bytes from `offset` on, as UTF-8 (faulthandler writes ASCII). */
  readFrom(file: string, offset: number): Promise<string>;
  /** Sends SIGURG (ignored by default: it can never end a process). */
  signal(pid: number): void;
  /** Writes a request line on the process's stream; false when it has none open. */
  send(sessionId: string, pid: number, request: StacksRequest): Promise<boolean>;
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Seconds since the epoch, for the events' time. */
  wallTime(): number;
  sleep(ms: number): Promise<void>;
}

export interface StackDumperTiming {
  /** How long a process has to answer. */
  readonly answerTimeoutMs: number;
  /** A dump file that stopped growing for this long is complete. */
  readonly settleMs: number;
  readonly pollMs: number;
}

export const DEFAULT_TIMING: StackDumperTiming = { answerTimeoutMs: 5_000, settleMs: 200, pollMs: 20 };

/** One process's answer, as the model now holds it. */
export interface StackAnswer {
  readonly key: string;
  readonly pid: number;
  readonly dump: StackDumpSnapshot | undefined;
}

/** Processes of a session that can be asked for their stacks right now. */
export function askableProcesses(session: SessionView): ProcessSnapshot[] {
  return [...session.allProcesses()].filter((process) =>
    session.processByPid(process.pid) === process &&
    canAskForStacks(process, session.objects.stacksSupport(process.key) !== null));
}

export class StackDumper {
  private requestNumber = 0;

  constructor(
    private readonly model: Model,
    private readonly host: StackDumperHost,
    private readonly timing: StackDumperTiming = DEFAULT_TIMING,
  ) {}

  /**
   * Asks the given processes (all askable ones of the session when `keys` is undefined) and
   * waits for every answer or its timeout. Answers come back in the order asked.
   */
  async dump(sessionId: string, keys?: readonly string[]): Promise<StackAnswer[]> {
    const session = this.model.session(sessionId);
    if (!session) {
      return [];
    }
    const askable = askableProcesses(session);
    const wanted = keys === undefined ? undefined : new Set(keys);
    const targets = wanted === undefined ? askable : askable.filter((process) => wanted.has(process.key));
    const answers = await Promise.all(targets.map((process) => this.ask(sessionId, process, session.objects.stacksSupport(process.key))));
    return answers;
  }

  private async ask(sessionId: string, process: ProcessSnapshot, support: StacksSupport | null): Promise<StackAnswer> {
    let event: Stacks | undefined;
    if (support?.via === 'signal') {
      event = await this.askBySignal(process, support);
    } else if (support?.via === 'request') {
      const answered = await this.askByRequest(sessionId, process);
      if (answered) {
        return answered;
      }
      event = this.noAnswer(process, 'it did not answer the request within ' + seconds(this.timing.answerTimeoutMs));
    } else {
      event = this.noAnswer(process, 'it cannot be asked for its stacks');
    }
    this.model.ingest(sessionId, event);
    const dumps = this.model.session(sessionId)?.objects.stackDumps(process.key) ?? [];
    return { key: process.key, pid: process.pid, dump: dumps[dumps.length - 1] };
  }

  private async askBySignal(process: ProcessSnapshot, support: StacksSupport): Promise<Stacks> {
    const file = support.file;
    if (!file || !(await this.inStacksDir(file))) {
      return this.noAnswer(process, 'its dump file is not in the collector\'s private directory');
    }
    // Whatever the file holds already (earlier dumps, a Ctrl-\ dump) is not this answer.
    const before = await this.host.fileSize(file);
    if (before === undefined) {
      return this.noAnswer(process, 'its dump file cannot be read');
    }
    const offset = before;
    try {
      this.host.signal(process.pid);
    } catch (error) {
      return this.noAnswer(process, `it could not be signalled (${error instanceof Error ? error.message : String(error)})`);
    }
    const { answerTimeoutMs, settleMs, pollMs } = this.timing;
    const started = this.host.now();
    let size = before;
    let grewAt: number | undefined;
    for (;;) {
      const now = this.host.now();
      const current = (await this.host.fileSize(file)) ?? size;
      if (current !== size) {
        size = current;
        grewAt = now;
      }
      if (grewAt !== undefined && now - grewAt >= settleMs) {
        const text = await this.host.readFrom(file, offset);
        if (text.endsWith('\n')) {
          const dump = parseLastFaulthandlerDump(text);
          if (dump) {
            const event: Stacks = {
              ...this.envelope(process),
              threads: dump.threads,
              ...(dump.threadsTruncated ? { threads_truncated: true } : {}),
            };
            return isValidEvent(event) ? event : this.noAnswer(process, 'its dump could not be read');
          }
        }
      }
      if (now - started >= answerTimeoutMs) {
        return this.noAnswer(process, `it did not answer within ${seconds(answerTimeoutMs)} (blocked with signals masked, or its handler was replaced)`);
      }
      await this.host.sleep(pollMs);
    }
  }

  private async askByRequest(sessionId: string, process: ProcessSnapshot): Promise<StackAnswer | undefined> {
    const id = `vscode-${++this.requestNumber}`;
    if (!(await this.host.send(sessionId, process.pid, { kind: 'request.stacks', id }))) {
      return undefined;
    }
    const started = this.host.now();
    while (this.host.now() - started < this.timing.answerTimeoutMs) {
      const dumps = this.model.session(sessionId)?.objects.stackDumps(process.key) ?? [];
      const answer = dumps.find((dump) => dump.request === id);
      if (answer) {
        return { key: process.key, pid: process.pid, dump: answer };
      }
      await this.host.sleep(this.timing.pollMs);
    }
    return undefined;
  }

  private async inStacksDir(file: string): Promise<boolean> {
    const directory = this.host.stacksDir();
    if (directory === undefined) {
      return false;
    }
    try {
      const [realDir, realFile] = await Promise.all([this.host.realPath(directory), this.host.realPath(file)]);
      return path.dirname(realFile) === realDir;
    } catch {
      return false;
    }
  }

  private envelope(process: ProcessSnapshot): Omit<Stacks, 'threads'> {
    // The collector speaks about the process: reporter collector, child_pid names it.
    return { v: 1, kind: 'stacks', t: this.host.wallTime(), pid: process.pid, reporter: 'collector', child_pid: process.pid, reason: 'request' };
  }

  private noAnswer(process: ProcessSnapshot, why: string): Stacks {
    return { ...this.envelope(process), threads: [], error: why.slice(0, 512) };
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
