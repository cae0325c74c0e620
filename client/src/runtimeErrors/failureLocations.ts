// Where a runtime failure belongs in the user's code: the line that raised (the innermost frame
// of the traceback in a file of the user's) and the `def` of the function the process or task
// ran. Pure: the caller says which files are the user's and hands over their lines.
import type { ExceptionInfo } from '../model/types';

/** One `File "…", line N, in name` entry of a Python traceback. */
export interface TracebackFrame {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly function: string;
}

/** Something that raised while the program ran: a process's run(), or a Pool task. */
export interface RuntimeFailure {
  readonly exception: ExceptionInfo;
  /** Qualified name of the function that ran (`__main__.work`, `Worker.run`); null when unknown. */
  readonly target: string | null;
  readonly processName: string;
  readonly pid: number;
  /** The process's working directory, for relative file names. */
  readonly cwd: string | null;
  /** Set for a Pool or executor task: `task`, `task 3 of map`… (absent: the process itself). */
  readonly task?: string;
}

/** A range in a file. */
export interface SourceSpot {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 0-based columns of the range to mark: the line's text without its indentation. */
  readonly startColumn: number;
  readonly endColumn: number;
}

export interface FailureLocation extends SourceSpot {
  /** `raise`: where the exception was raised; `def`: the function the process or task ran. */
  readonly kind: 'raise' | 'def';
  readonly message: string;
  /** The other location of the same failure (the def for a raise, and back), if any. */
  readonly partner?: SourceSpot;
}

export interface SourceAccess {
  /** An absolute path for a file name as Python reported it (relative to `cwd`), or undefined. */
  resolve(file: string, cwd: string | null): string | undefined;
  /** Whether the user wrote this file (in the workspace, not a library). */
  isUserFile(path: string): boolean;
  /** The file's lines, or undefined when it cannot be read. */
  readLines(path: string): readonly string[] | undefined;
}

const FRAME_LINE = /^\s*File "(.*)", line (\d+), in (.+?)\s*$/;
const MAX_MESSAGE = 400;

/**
 * The frames of a formatted traceback, outermost first. With chained exceptions ("During
 * handling of the above exception…") Python prints the last one last: its frames are returned.
 */
export function parseTraceback(text: string): TracebackFrame[] {
  let frames: TracebackFrame[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*Traceback \(most recent call last\):\s*$/.test(line)) {
      frames = [];
      continue;
    }
    const match = FRAME_LINE.exec(line);
    if (match) {
      frames.push({ file: match[1], line: Number(match[2]), function: match[3] });
    }
  }
  return frames;
}

/** `fail` from `__main__.fail`, `inner` from `outer.<locals>.inner`; null for lambdas. */
export function functionName(target: string | null): string | null {
  if (!target) {
    return null;
  }
  const last = target.split('.').pop() ?? '';
  return /^[A-Za-z_][\w]*$/.test(last) ? last : null;
}

/** The 1-based line of `def name(` that encloses `fromLine` (searching upward), else the first one in the file. */
export function findDefLine(lines: readonly string[], name: string, fromLine?: number): number | undefined {
  const pattern = new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*[(\\[]`);
  if (fromLine !== undefined) {
    for (let index = Math.min(fromLine, lines.length) - 1; index >= 0; index--) {
      if (pattern.test(lines[index])) {
        return index + 1;
      }
    }
  }
  const first = lines.findIndex((line) => pattern.test(line));
  return first >= 0 ? first + 1 : undefined;
}

export function failureLocations(failure: RuntimeFailure, source: SourceAccess): FailureLocation[] {
  const frames = parseTraceback(failure.exception.traceback ?? '')
    .map((frame) => ({ ...frame, path: source.resolve(frame.file, failure.cwd) }))
    .filter((frame): frame is TracebackFrame & { path: string } => frame.path !== undefined && source.isUserFile(frame.path));

  let raising: { path: string; line: number } | undefined = frames.at(-1);
  const site = failure.exception.site;
  if (!raising && site) {
    const path = source.resolve(site.file, failure.cwd);
    if (path !== undefined && source.isUserFile(path)) {
      raising = { path, line: site.line };
    }
  }

  const summary = exceptionSummary(failure.exception);
  const who = `${failure.processName} (pid ${failure.pid})`;
  let raise: FailureLocation | undefined;
  if (raising) {
    const by = failure.task ? `by a ${failure.task} in ${who}` : `in ${who}`;
    raise = located(source, raising.path, raising.line, 'raise', clip(`${summary} — raised ${by}`));
  }
  let def: FailureLocation | undefined;

  const name = functionName(failure.target);
  if (name) {
    // The outermost user frame running that function is the target's own frame.
    const frame = frames.find((candidate) => candidate.function === name);
    const file = frame?.path ?? raising?.path;
    const lines = file === undefined ? undefined : source.readLines(file);
    const line = lines && name ? findDefLine(lines, name, frame?.line) : undefined;
    if (file !== undefined && line !== undefined && !(file === raising?.path && line === raising.line)) {
      const ran = failure.task ? `ran a ${failure.task} that failed` : 'failed';
      def = located(source, file, line, 'def', clip(`${who} ${ran} in ${name}(): ${summary}`));
    }
  }
  if (raise && def) {
    return [{ ...raise, partner: spotOf(def) }, { ...def, partner: spotOf(raise) }];
  }
  return [raise, def].filter((location): location is FailureLocation => location !== undefined);
}

function spotOf(location: SourceSpot): SourceSpot {
  return { file: location.file, line: location.line, startColumn: location.startColumn, endColumn: location.endColumn };
}

function located(source: SourceAccess, file: string, line: number, kind: FailureLocation['kind'], message: string): FailureLocation {
  const text = source.readLines(file)?.[line - 1];
  if (text === undefined) {
    return { file, line, startColumn: 0, endColumn: 0, kind, message };
  }
  const trimmedEnd = text.replace(/\s+$/, '');
  const startColumn = trimmedEnd.length - trimmedEnd.trimStart().length;
  return { file, line, startColumn, endColumn: Math.max(startColumn, trimmedEnd.length), kind, message };
}

/** `ValueError: boom` (first line of the message only). */
export function exceptionSummary(exception: ExceptionInfo): string {
  const first = exception.message.split(/\r?\n/, 1)[0]?.trim() ?? '';
  return first ? `${exception.type}: ${first}` : exception.type;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/**
 * Paths of installed libraries and of Python's own standard library, which are never the user's
 * file even inside a workspace folder (a virtual environment often lives there).
 */
export function isLibraryPath(path: string): boolean {
  return /[\\/](?:site-packages|dist-packages)[\\/]/i.test(path) ||
    /[\\/]lib[\\/]python\d+(?:\.\d+)?t?[\\/]/i.test(path) ||
    /[\\/]Lib[\\/](?:multiprocessing|concurrent|asyncio|threading\.py)/.test(path);
}

/**
 * One location per place: many failures at the same line (a task that fails for every item)
 * become one entry whose message counts them. Order of first appearance is kept.
 */
export function groupLocations(locations: readonly FailureLocation[]): FailureLocation[] {
  const groups = new Map<string, { first: FailureLocation; count: number }>();
  for (const location of locations) {
    const key = `${location.kind}\u0000${location.file}\u0000${location.line}`;
    const group = groups.get(key);
    if (group) {
      group.count++;
    } else {
      groups.set(key, { first: location, count: 1 });
    }
  }
  return [...groups.values()].map(({ first, count }) =>
    count === 1 ? first : { ...first, message: `${first.message} (and ${count - 1} more ${count === 2 ? 'failure' : 'failures'} here)` });
}
