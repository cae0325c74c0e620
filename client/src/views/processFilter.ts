// The Processes view's filter: what the user typed, and which processes it keeps. Every word
// must match (words narrow the list); a word matches a process when it is its state ("failed",
// "zombie"), the start of its pid, or part of its name, target or role (case-insensitive). A
// kept process keeps its ancestors, so the tree still says where it lives.
import type { ProcessSnapshot, ProcessState } from '../model/types';
import { PROCESS_STATES } from '../model/types';

export interface ProcessFilter {
  /** The text as the user typed it (trimmed). */
  readonly text: string;
  readonly words: readonly string[];
}

/** Undefined for text without any word: no filter. */
export function parseFilter(text: string): ProcessFilter | undefined {
  const trimmed = text.trim();
  const words = trimmed.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  return words.length === 0 ? undefined : { text: trimmed, words };
}

const STATES: ReadonlySet<string> = new Set(PROCESS_STATES);

/** Whether one word matches a process. */
function wordMatches(word: string, process: ProcessSnapshot, extra: string): boolean {
  if (STATES.has(word) && process.state === (word as ProcessState)) {
    return true;
  }
  if (/^\d+$/.test(word) && String(process.pid).startsWith(word)) {
    return true;
  }
  const haystack = `${process.name}\n${process.target ?? ''}\n${process.role ?? ''}\n${extra}`.toLowerCase();
  return haystack.includes(word);
}

/**
 * Whether the filter keeps a process for its own sake. `extra` is more text to search (e.g. the
 * exception type of a failed process).
 */
export function matchesFilter(filter: ProcessFilter, process: ProcessSnapshot, extra = ''): boolean {
  return filter.words.every((word) => wordMatches(word, process, extra));
}

/** The text a process offers the filter besides its own fields. */
export function filterExtraText(process: ProcessSnapshot): string {
  const exception = process.exit?.exception;
  const signal = process.exit?.signal ?? '';
  return exception ? `${exception.type}\n${signal}` : signal;
}

/**
 * Keys of the processes to show: those that match and all their ancestors. `parentOf` gives the
 * key a process is nested under (null at the top).
 */
export function visibleKeys(
  processes: Iterable<ProcessSnapshot>,
  filter: ProcessFilter,
  parentOf: (key: string) => string | null,
): Set<string> {
  const visible = new Set<string>();
  for (const process of processes) {
    if (!matchesFilter(filter, process, filterExtraText(process))) {
      continue;
    }
    // Climb until an ancestor that is already visible: each key is added once.
    let key: string | null = process.key;
    for (let guard = 0; key !== null && !visible.has(key) && guard < 100_000; guard++) {
      visible.add(key);
      key = parentOf(key);
    }
  }
  return visible;
}
