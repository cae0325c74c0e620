// The contextValue of each kind of tree item: what the `when` clauses of package.json's menus
// match on. A process's value is `mpscope.process.<state>` followed by flags, each `.<flag>`:
//   alive   it can be signalled (terminate / kill)
//   stacks  it can be asked for its stacks (its stream is open and it said how)
//   site    its creation site is known
// Menus match flags with `\.flag\b`, so flags can be added without breaking them.
import { canAskForStacks, isSignallable } from '../model/liveness';
import type { OwnedObject } from '../model/sessionObjects';
import type { PoolSnapshot, ProcessSnapshot, TaskSnapshot } from '../model/types';

export interface ProcessFlags {
  /** The OS still lists it alive (e.g. a survivor after its session ended). */
  readonly aliveInOs: boolean;
  /** It said how to ask for its stacks. */
  readonly canDumpStacks: boolean;
}

export function processContextValue(process: ProcessSnapshot, flags: ProcessFlags): string {
  let value = `mpscope.process.${process.state}`;
  if (isSignallable(process, flags.aliveInOs)) {
    value += '.alive';
  }
  if (canAskForStacks(process, flags.canDumpStacks)) {
    value += '.stacks';
  }
  if (process.site) {
    value += '.site';
  }
  return value;
}

export function poolContextValue(pool: PoolSnapshot): string {
  return `mpscope.pool.${pool.state}${pool.site ? '.site' : ''}`;
}

export function taskContextValue(task: TaskSnapshot): string {
  return `mpscope.task.${task.ok ? 'slow' : 'failed'}${task.exception?.site ? '.site' : ''}`;
}

/** `mpscope.queue`, `mpscope.sync`, `mpscope.pipe`… with `.site` when its creation site is known. */
export function ownedContextValue(object: OwnedObject): string {
  return `mpscope.${object.kind}${object.record.site ? '.site' : ''}`;
}

export const HELPERS_CONTEXT_VALUE = 'mpscope.helpers';
export const OBJECTS_CONTEXT_VALUE = 'mpscope.objects';
