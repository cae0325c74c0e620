// The short names of queues, pipes, locks, managers and shared objects, as the tree labels them
// and as sentences about them ("waited 2.0 s to acquire Lock") name them. Pure and free of other
// presentation code, so both the process and the object presentation can use it.
import type { OwnedObject } from '../model/sessionObjects';
import type { ManagerSnapshot, PipeSnapshot, QueueSnapshot, SharedSnapshot, SyncSnapshot } from '../model/types';

function shortName(qualified: string | null): string | undefined {
  const name = qualified?.split('.').pop();
  return name && name.length > 0 ? name : undefined;
}

/** `Queue`, `JoinableQueue`, `SimpleQueue`, `Manager queue`, or `MyQueue (Queue)` for a subclass. */
export function queueLabel(queue: QueueSnapshot): string {
  const base = queue.queueKind === 'manager-queue' ? 'Manager queue' : queue.queueKind ?? 'Queue';
  const own = shortName(queue.className);
  return own && own !== base ? `${own} (${base})` : base;
}

export function pipeLabel(pipe: PipeSnapshot): string {
  return pipe.duplex === false ? 'Pipe (one-way)' : 'Pipe';
}

export function syncLabel(sync: SyncSnapshot): string {
  return sync.syncKind ?? 'lock';
}

export function managerLabel(manager: ManagerSnapshot): string {
  return shortName(manager.className) ?? 'Manager';
}

/** `Value('i')`, `Array('d', 10)`, `SharedMemory psm_1`, `Manager dict`. */
export function sharedLabel(shared: SharedSnapshot): string {
  switch (shared.sharedKind) {
    case 'Value':
    case 'RawValue':
      return shared.typecode ? `${shared.sharedKind}('${shared.typecode}')` : shared.sharedKind;
    case 'Array':
    case 'RawArray': {
      const parts = [shared.typecode ? `'${shared.typecode}'` : undefined, shared.length !== null ? String(shared.length) : undefined].filter(Boolean);
      return `${shared.sharedKind}(${parts.join(', ')})`;
    }
    case 'SharedMemory':
    case 'ShareableList':
      return shared.name ? `${shared.sharedKind} ${shared.name}` : shared.sharedKind;
    case 'manager':
      return `Manager ${shared.typeid ?? 'object'}`;
    case null:
      return 'shared object';
    default: {
      const unknown: never = shared.sharedKind;
      return String(unknown);
    }
  }
}

export function ownedLabel(object: OwnedObject): string {
  switch (object.kind) {
    case 'queue':
      return queueLabel(object.record);
    case 'pipe':
      return pipeLabel(object.record);
    case 'sync':
      return syncLabel(object.record);
    case 'manager':
      return managerLabel(object.record);
    case 'shared':
      return sharedLabel(object.record);
    default: {
      const unknown: never = object;
      return String(unknown);
    }
  }
}
