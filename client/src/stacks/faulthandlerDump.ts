// CPython's faulthandler dumps as structured stacks (pure: text in, threads out). On POSIX a
// process answers a stack request from C code: faulthandler appends the stacks of all its
// threads to the process's file in the collector's private directory (docs/protocol.md,
// runtime/mpscope/stacks.py). The format, CPython 3.8–3.13:
//
//   Thread 0x00007f3a2c1ff6c0 (most recent call first):
//     File "/app/worker.py", line 12 in wait_for_lock
//     File "/usr/lib/python3.11/threading.py", line 1045 in _bootstrap_inner
//
//   Current thread 0x00007f3a2d4e8b80 (most recent call first):
//     File "/app/main.py", line 30 in <module>
//
// One block per thread, newest thread first: the last block is the main thread. Frames run
// innermost first; `???` stands for what CPython could not tell; `  ...` ends a stack cut at 100
// frames and `...` a dump cut at 100 threads. Strings are cut at 500 characters and characters
// other than printable ASCII are escaped (\xNN, \uNNNN, \UNNNNNNNN). Dumps are appended to the
// same file with no end marker: a new dump starts where a thread ident repeats.
import type { StackFrame, ThreadStack } from '../protocol/events';

export interface ParsedDump {
  /** The main thread first (when the dump was not cut), each thread's frames innermost first. */
  readonly threads: ThreadStack[];
  readonly threadsTruncated: boolean;
}

const HEADER = /^(?:Current thread|Thread) 0x([0-9a-fA-F]+) \(most recent call first\):$/;
const SINGLE_HEADER = 'Stack (most recent call first):';
const FRAME = /^ {2}File (?:"(.*)"|\?\?\?), line (\d+|\?\?\?) in (.*)$/;
const ESCAPE = /\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})/g;

/** Undoes faulthandler's escapes (it only escapes characters that are not printable ASCII). */
export function unescapeFaulthandler(text: string): string {
  if (!text.includes('\\')) {
    return text;
  }
  return text.replace(ESCAPE, (match, code: string) => {
    const value = parseInt(code.slice(1), 16);
    if ((value >= 0x20 && value <= 0x7e) || value > 0x10ffff) {
      return match; // printable ASCII is never escaped: this was a literal backslash
    }
    return String.fromCodePoint(value);
  });
}

interface ThreadBuilder {
  ident: number;
  frames: StackFrame[];
  framesTruncated: boolean;
}

/**
 * Every complete dump in `text`, oldest first. The text after the last newline is ignored: it
 * may be a line still being written.
 */
export function parseFaulthandlerDumps(text: string): ParsedDump[] {
  const lines = text.split('\n');
  lines.pop();
  const dumps: ParsedDump[] = [];
  let threads: ThreadBuilder[] = [];
  let seen = new Set<number>();
  let current: ThreadBuilder | undefined;
  let truncated = false;

  const closeDump = (): void => {
    if (threads.length > 0) {
      dumps.push(finish(threads, truncated));
    }
    threads = [];
    seen = new Set();
    truncated = false;
    current = undefined;
  };

  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = HEADER.exec(line);
    if (header || line === SINGLE_HEADER) {
      // Idents fit a double exactly: they are addresses below 2^53.
      const ident = header ? parseInt(header[1] as string, 16) : 0;
      if (seen.has(ident) || truncated) {
        closeDump();
      }
      seen.add(ident);
      current = { ident, frames: [], framesTruncated: false };
      threads.push(current);
      continue;
    }
    if (!current) {
      continue; // not inside a dump (an error message, another writer's text)
    }
    const frame = FRAME.exec(line);
    if (frame) {
      const lineText = frame[2] as string;
      current.frames.push({
        file: frame[1] === undefined ? '???' : unescapeFaulthandler(frame[1]),
        line: /^\d+$/.test(lineText) ? Number(lineText) : null,
        function: unescapeFaulthandler(frame[3] as string),
      });
    } else if (line === '  ...') {
      current.framesTruncated = true;
    } else if (line === '...') {
      truncated = true;
    }
    // "" between threads, "  Garbage-collecting", "<no Python frame>": nothing to record.
  }
  closeDump();
  return dumps;
}

/** The most recent complete dump in `text`. */
export function parseLastFaulthandlerDump(text: string): ParsedDump | undefined {
  const dumps = parseFaulthandlerDumps(text);
  return dumps[dumps.length - 1];
}

function finish(builders: readonly ThreadBuilder[], truncated: boolean): ParsedDump {
  const threads: ThreadStack[] = builders.map((builder) => {
    const thread: { ident: number; frames: StackFrame[]; frames_truncated?: boolean } = { ident: builder.ident, frames: builder.frames };
    if (builder.framesTruncated) {
      thread.frames_truncated = true;
    }
    return thread;
  });
  if (truncated) {
    return { threads, threadsTruncated: true };
  }
  // The interpreter's first thread state is listed last: the main thread.
  const main = { ...(threads[threads.length - 1] as ThreadStack), main: true };
  return { threads: [main, ...threads.slice(0, -1)], threadsTruncated: false };
}
