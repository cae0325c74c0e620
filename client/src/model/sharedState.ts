// Managers and the shared state a program creates: a Manager (its server process is a helper
// with role `manager`), ctypes objects in shared memory (Value, Array and their raw forms),
// shared_memory blocks, and objects a Manager holds. Creation facts only: the runtime does not
// follow their use.
import type { ManagerCreated, SharedCreated, SharedKind } from '../protocol/events';
import { OwnedRecord, OwnedSnapshot } from './ownedObjects';

export interface ManagerSnapshot extends OwnedSnapshot {
  readonly className: string | null;
  /** Where its server listens (the manager_address of the objects it holds). */
  readonly address: string | null;
  readonly serverPid: number | null;
  /** connect() to a server this process did not start. */
  readonly connected: boolean;
}

export class ManagerRecord extends OwnedRecord implements ManagerSnapshot {
  className: string | null = null;
  address: string | null = null;
  serverPid: number | null = null;
  connected = false;

  created(event: ManagerCreated): void {
    this.className = event.class;
    this.address = event.address ?? this.address;
    this.serverPid = event.server_pid ?? this.serverPid;
    this.connected = event.connected === true;
  }

  toSnapshot(): ManagerSnapshot {
    return { ...this.ownedSnapshot(), className: this.className, address: this.address, serverPid: this.serverPid, connected: this.connected };
  }
}

export interface SharedSnapshot extends OwnedSnapshot {
  readonly sharedKind: SharedKind | null;
  /** ctypes objects: the type code ('i', 'd') or the ctypes type's name. */
  readonly typecode: string | null;
  /** Bytes. */
  readonly size: number | null;
  /** Arrays: number of items. */
  readonly length: number | null;
  /** Value/Array: whether it comes with a lock. */
  readonly lock: boolean | null;
  /** SharedMemory: the block's name. */
  readonly name: string | null;
  /** Manager objects: dict, list, Namespace… */
  readonly typeid: string | null;
  readonly managerAddress: string | null;
}

export class SharedRecord extends OwnedRecord implements SharedSnapshot {
  sharedKind: SharedKind | null = null;
  typecode: string | null = null;
  size: number | null = null;
  length: number | null = null;
  lock: boolean | null = null;
  name: string | null = null;
  typeid: string | null = null;
  managerAddress: string | null = null;

  created(event: SharedCreated): void {
    this.sharedKind = event.shared_kind;
    this.typecode = event.typecode ?? null;
    this.size = event.size ?? null;
    this.length = event.length ?? null;
    this.lock = event.lock ?? null;
    this.name = event.name ?? null;
    this.typeid = event.typeid ?? null;
    this.managerAddress = event.manager_address ?? null;
  }

  toSnapshot(): SharedSnapshot {
    return {
      ...this.ownedSnapshot(),
      sharedKind: this.sharedKind,
      typecode: this.typecode,
      size: this.size,
      length: this.length,
      lock: this.lock,
      name: this.name,
      typeid: this.typeid,
      managerAddress: this.managerAddress,
    };
  }
}
