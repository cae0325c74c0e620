// Which survivors of a session "Kill Survivors" may signal. A survivor was seen alive in an
// earlier snapshot; before sending a signal the list is read again, and only a process still
// listed with the same command name and start time is killed: a pid the OS gave to an unrelated
// process since then, or a process that became a zombie, is left alone.
import type { OsProcess } from '../model/osSnapshot';
import { isZombieStat, sameStart } from '../model/osSnapshot';
import type { ProcessSnapshot } from '../model/types';

export interface KillPlan {
  readonly kill: readonly ProcessSnapshot[];
  /** No longer listed, or now a zombie: nothing to kill. */
  readonly ended: readonly ProcessSnapshot[];
  /** The pid now belongs to a process with another command name. */
  readonly reused: readonly ProcessSnapshot[];
}

export function planSurvivorKill(survivors: readonly ProcessSnapshot[], fresh: readonly OsProcess[]): KillPlan {
  const listed = new Map(fresh.map((entry) => [entry.pid, entry]));
  const kill: ProcessSnapshot[] = [];
  const ended: ProcessSnapshot[] = [];
  const reused: ProcessSnapshot[] = [];
  for (const survivor of survivors) {
    const entry = listed.get(survivor.pid);
    if (!entry || isZombieStat(entry.stat)) {
      ended.push(survivor);
    } else if (survivor.os !== null && (entry.command !== survivor.os.command || !sameStart(survivor.os.startedAt, entry.startedAt))) {
      reused.push(survivor);
    } else {
      kill.push(survivor);
    }
  }
  return { kill, ended, reused };
}

/** One line per survivor for the confirmation: `4242 python3 (child, orphan)`. */
export function describeSurvivor(survivor: ProcessSnapshot): string {
  const facts = [survivor.name !== survivor.os?.command ? survivor.name : undefined, survivor.orphaned ? 'orphan' : undefined, survivor.external ? 'not Python' : undefined]
    .filter((fact): fact is string => fact !== undefined);
  const command = survivor.os?.command ?? survivor.name;
  return `${survivor.pid} ${command}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}
