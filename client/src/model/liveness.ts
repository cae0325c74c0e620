// Whether a process can still be reached: signalled (terminate / kill) or asked for its stacks.
// Acting on a pid whose process ended could hit a stranger that reused the pid, so both need
// evidence that the process itself is still there.
import type { ProcessSnapshot, ProcessState } from './types';

export const ALIVE_STATES: ReadonlySet<ProcessState> = new Set<ProcessState>(['starting', 'running', 'orphan']);

/** Nobody reported its end, or the OS still lists it alive (e.g. a survivor of its session). */
export function isSignallable(process: ProcessSnapshot, aliveInOs: boolean): boolean {
  return ALIVE_STATES.has(process.state) || aliveInOs;
}

/**
 * Someone said how to ask it for its stacks (itself, or the parent of a quiet child), and its
 * stream is still open or, quiet, it has none yet (a closed stream means it ended).
 */
export function canAskForStacks(process: ProcessSnapshot, saidHowToAsk: boolean): boolean {
  return saidHowToAsk && (process.connected || process.quiet) && ALIVE_STATES.has(process.state);
}
