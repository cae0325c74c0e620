// What queues, pipes, locks, managers and shared objects have in common in the model: an id the
// runtime gives them (the same in every process), the process that created them, and events
// from other processes that may arrive before the creation does (their streams are read in any
// order). A table keeps records by id, creates a placeholder for an id first heard of in a
// counter or a wait, and indexes announced records by their creator so the tree can put them
// under it.
import type { Site } from '../protocol/events';
import type { ChangeRecorder } from './changes';
import { ObjectKind, objectId } from './objectIds';

/** The fields every owned object has. */
export interface OwnedSnapshot {
  readonly id: string;
  /** False while only other events named it (its creation has not arrived). */
  readonly announced: boolean;
  readonly creatorPid: number | null;
  /** Key of the creating process's record when the creation arrived. */
  readonly creatorKey: string | null;
  readonly site: Site | null;
  readonly createdAt: number | null;
}

export abstract class OwnedRecord implements OwnedSnapshot {
  announced = false;
  creatorPid: number | null = null;
  creatorKey: string | null = null;
  site: Site | null = null;
  createdAt: number | null = null;

  constructor(readonly id: string) {}

  protected ownedSnapshot(): OwnedSnapshot {
    return {
      id: this.id,
      announced: this.announced,
      creatorPid: this.creatorPid,
      creatorKey: this.creatorKey,
      site: this.site && { ...this.site },
      createdAt: this.createdAt,
    };
  }
}

export interface OwnedTableContext {
  readonly sessionId: string;
  readonly changes: ChangeRecorder;
  keyOfPid(pid: number): string | undefined;
}

/** Past this many objects of one kind a session records no more (a program creating them in a loop). */
export const MAX_OBJECTS_PER_KIND = 10_000;

export class OwnedTable<R extends OwnedRecord> {
  private readonly records = new Map<string, R>();
  private readonly byCreator = new Map<string, R[]>();

  constructor(
    private readonly kind: ObjectKind,
    private readonly context: OwnedTableContext,
    private readonly make: (id: string) => R,
  ) {}

  get size(): number {
    return this.records.size;
  }

  get(id: string): R | undefined {
    return this.records.get(id);
  }

  all(): IterableIterator<R> {
    return this.records.values();
  }

  /** Announced records a process created, in order of creation. */
  createdBy(key: string): readonly R[] {
    return this.byCreator.get(key) ?? [];
  }

  /** The record of an id, created as a placeholder when new; undefined past the bound. */
  ensure(id: string): R | undefined {
    let record = this.records.get(id);
    if (!record) {
      if (this.records.size >= MAX_OBJECTS_PER_KIND) {
        return undefined;
      }
      record = this.make(id);
      this.records.set(id, record);
    }
    return record;
  }

  /** Its creation arrived: who created it, where and when. Returns undefined past the bound. */
  announce(id: string, creatorPid: number, t: number, site: Site | undefined): R | undefined {
    const record = this.ensure(id);
    if (!record) {
      return undefined;
    }
    if (!record.announced) {
      record.announced = true;
      record.creatorPid = creatorPid;
      record.createdAt = t;
      record.creatorKey = this.context.keyOfPid(creatorPid) ?? null;
      if (record.creatorKey !== null) {
        let list = this.byCreator.get(record.creatorKey);
        if (!list) {
          list = [];
          this.byCreator.set(record.creatorKey, list);
        }
        list.push(record);
      }
      // A new node appears under its creator.
      this.context.changes.structureChanged(this.context.sessionId);
    }
    record.site = site ? { ...site } : record.site;
    this.changed(record);
    return record;
  }

  changed(record: R): void {
    this.context.changes.objectChanged(this.context.sessionId, objectId(this.kind, record.id));
  }
}

/** Keeps the latest `max` items of a list, counting those it let go. */
export class RecentList<T> {
  private items: T[] = [];
  dropped = 0;

  constructor(private readonly max: number) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length > this.max) {
      this.items.shift();
      this.dropped++;
    }
  }

  get list(): readonly T[] {
    return this.items;
  }

  get total(): number {
    return this.items.length + this.dropped;
  }
}
