// What the operating system says about a session's processes: an input of the model next to the
// runtime's events. The runtime cannot see non-Python children, zombies (ended, not yet reaped
// by their parent) or a process that vanished without a word; a periodic snapshot of the OS
// process list can. This file holds the input's shape and the pure walks over it.

/** One process as the OS lists it. */
export interface OsProcess {
  readonly pid: number;
  readonly ppid: number;
  /** `ps` STAT letters (`S`, `R+`, `Z`, …); empty where the OS has none (Windows). */
  readonly stat: string;
  /** Command name (`ps` comm; the image name on Windows). */
  readonly command: string;
  /**
   * When it started, seconds since the epoch (to the second): tells a process from a later one
   * that got the same pid. Absent when the OS did not say.
   */
  readonly startedAt?: number;
}

/** Every process the OS listed at one moment (not only the session's). */
export interface OsSnapshot {
  /** Seconds since the epoch, like the events. */
  readonly t: number;
  readonly processes: readonly OsProcess[];
}

/**
 * What the model learned about a process from the OS. It changes only when something the views
 * show changes (run states such as R or S, which flip all the time, are not kept).
 */
export interface OsObservation {
  readonly command: string;
  readonly ppid: number;
  /** Ended but not yet reaped by its parent (STAT `Z`). */
  readonly zombie: boolean;
  /** When the OS says it started (null: unknown). */
  readonly startedAt: number | null;
  /** The first snapshot that listed it. */
  readonly firstSeen: number;
  /** When a snapshot first no longer listed it; null while it is listed. */
  readonly vanishedAt: number | null;
}

/**
 * Start times from `ps` are whole seconds of elapsed time, read at a slightly different moment,
 * and a clock adjustment shifts them all: only a clear difference means another process.
 */
const START_TOLERANCE_SECONDS = 10;

/** Whether two start times can be the same process's (unknown ones always can). */
export function sameStart(a: number | null | undefined, b: number | null | undefined): boolean {
  return a === null || a === undefined || b === null || b === undefined || Math.abs(a - b) <= START_TOLERANCE_SECONDS;
}

/** Whether a process listed as starting at `osStart` can be one the runtime saw start at `knownStart`. */
export function startedBy(osStart: number | undefined, knownStart: number | null): boolean {
  return osStart === undefined || knownStart === null || osStart <= knownStart + START_TOLERANCE_SECONDS;
}

export function isZombieStat(stat: string): boolean {
  return stat.charAt(0) === 'Z';
}

/** `python3` from `/usr/bin/python3` (macOS lists paths), `C:\…\py.exe` → `py.exe`. */
export function commandName(command: string): string {
  const base = command.split(/[\\/]/).pop() ?? command;
  return base.length > 0 ? base : command;
}

/** Children of each pid, in list order. */
export function childrenByParent(processes: readonly OsProcess[]): Map<number, OsProcess[]> {
  const children = new Map<number, OsProcess[]>();
  for (const process of processes) {
    if (process.pid === process.ppid) {
      continue; // pid 0 on some systems is its own parent
    }
    let list = children.get(process.ppid);
    if (!list) {
      list = [];
      children.set(process.ppid, list);
    }
    list.push(process);
  }
  return children;
}

/**
 * Every descendant of the given pids (not the pids themselves), parents before their children,
 * whatever order the OS listed them in. Each process is returned once.
 */
export function descendantsOf(processes: readonly OsProcess[], roots: Iterable<number>): OsProcess[] {
  const children = childrenByParent(processes);
  const seen = new Set<number>(roots);
  const queue = [...seen];
  const found: OsProcess[] = [];
  for (let index = 0; index < queue.length; index++) {
    for (const child of children.get(queue[index]) ?? []) {
      if (!seen.has(child.pid)) {
        seen.add(child.pid);
        queue.push(child.pid);
        found.push(child);
      }
    }
  }
  return found;
}

/** What `alive` needs of a process record. */
interface Observed {
  readonly os: OsObservation | null;
}

/** The latest snapshot lists it, not as a zombie: it still runs. */
export function aliveInOs(process: Observed): boolean {
  return process.os !== null && process.os.vanishedAt === null && !process.os.zombie;
}
