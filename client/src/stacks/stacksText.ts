// The text of a stack dump as the read-only editor shows it: one section per process, one block
// per thread, frames innermost first in Python's own `File "…", line N, in f` form (so the lines
// read like a traceback and the editor can link them to the source). Pure.
import type { ProcessSnapshot, StackDumpSnapshot } from '../model/types';
import type { ThreadStack } from '../protocol/events';

export interface ProcessDump {
  readonly process: ProcessSnapshot;
  readonly dump: StackDumpSnapshot | undefined;
}

export interface StacksTextInput {
  readonly sessionLabel: string;
  /** When the dump was asked for, seconds since the epoch. */
  readonly at: number;
  readonly dumps: readonly ProcessDump[];
  /** Processes that could not be asked (no hooks, stream closed, ended). */
  readonly notAsked: readonly ProcessSnapshot[];
}

/** A frame line; the link provider recognises exactly this shape. */
export const FRAME_LINE = /^ {4}File "(.+)", line (\d+), in (.*)$/;

export function stacksText(input: StacksTextInput): string {
  const answered = input.dumps.filter((entry) => entry.dump && entry.dump.error === null).length;
  const lines: string[] = [];
  lines.push(`mpscope: stacks of ${input.sessionLabel} at ${timeOfDay(input.at)}`);
  lines.push(`${input.dumps.length} ${input.dumps.length === 1 ? 'process' : 'processes'} asked, ${answered} answered; frames innermost first (most recent call first).`);
  for (const { process, dump } of input.dumps) {
    lines.push('');
    lines.push(`── ${processTitle(process)}`);
    if (!dump) {
      lines.push('  (no answer)');
      continue;
    }
    if (dump.error !== null) {
      lines.push(`  no stacks: ${dump.error}`);
      continue;
    }
    for (const thread of dump.threads) {
      lines.push(...threadLines(thread));
    }
    if (dump.threadsTruncated) {
      lines.push('  … more threads (faulthandler stops after 100)');
    }
  }
  if (input.notAsked.length > 0) {
    lines.push('');
    lines.push('Not asked (ended, not reporting to mpscope, or unable to answer):');
    for (const process of input.notAsked) {
      lines.push(`  ${processTitle(process)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function processTitle(process: ProcessSnapshot): string {
  const role = process.role && process.role !== 'process' ? ` (${process.role})` : '';
  return `pid ${process.pid} · ${oneLine(process.name)}${role} · ${process.state}`;
}

function threadLines(thread: ThreadStack): string[] {
  const what = thread.main ? 'main thread' : 'thread';
  const name = thread.name && !thread.main ? ` "${oneLine(thread.name)}"` : '';
  const lines = [`  ${what}${name} 0x${thread.ident.toString(16).padStart(16, '0')}:`];
  if (thread.frames.length === 0) {
    lines.push('    <no Python frame>');
  }
  for (const frame of thread.frames) {
    lines.push(`    File "${oneLine(frame.file)}", line ${frame.line ?? '???'}, in ${oneLine(frame.function)}`);
  }
  if (thread.frames_truncated) {
    lines.push('    … (deeper frames cut)');
  }
  return lines;
}

/** A frame line's file and line, for links; undefined for other lines or an unknown line. */
export function parseFrameLine(line: string): { readonly file: string; readonly line: number; readonly start: number; readonly end: number } | undefined {
  const match = FRAME_LINE.exec(line);
  if (!match) {
    return undefined;
  }
  const file = match[1] as string;
  const start = line.indexOf('"') + 1;
  const lineNumber = Number(match[2]);
  // The link covers `"file", line N`.
  const end = line.indexOf(', in ', start + file.length);
  return { file, line: lineNumber, start: start - 1, end: end === -1 ? line.length : end };
}

/** Text from the program never breaks the layout: control characters become spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function timeOfDay(t: number): string {
  const date = new Date(t * 1000);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
