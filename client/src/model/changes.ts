// What changed since a consumer last looked. Views refresh at their own pace (the tree at most a
// few times a second) and only what changed: each consumer owns a tracker that accumulates
// changes until it takes them.

export interface ModelChanges {
  /** Sessions were added or removed: the list of sessions must be re-read. */
  readonly sessionList: boolean;
  /** Sessions whose own summary (label, end, counts) changed. */
  readonly sessions: ReadonlySet<string>;
  /** Sessions whose tree shape changed (a process appeared or moved to another parent). */
  readonly structure: ReadonlySet<string>;
  /** Per session, keys of processes whose fields changed without moving. */
  readonly processes: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Per session, ids of other things the views show (pools, queues, …: see objectIds.ts) whose
   * fields changed without moving.
   */
  readonly objects: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ChangeTracker {
  /** True when something changed since the last take(). */
  readonly pending: boolean;
  /** Returns the accumulated changes and starts over. */
  take(): ModelChanges;
  /** Stops accumulating (the consumer went away). */
  dispose(): void;
}

class Tracker implements ChangeTracker {
  sessionList = false;
  sessions = new Set<string>();
  structure = new Set<string>();
  processes = new Map<string, Set<string>>();
  objects = new Map<string, Set<string>>();
  pending = false;

  constructor(private readonly detach: (tracker: Tracker) => void) {}

  take(): ModelChanges {
    const changes: ModelChanges = {
      sessionList: this.sessionList,
      sessions: this.sessions,
      structure: this.structure,
      processes: this.processes,
      objects: this.objects,
    };
    this.sessionList = false;
    this.sessions = new Set();
    this.structure = new Set();
    this.processes = new Map();
    this.objects = new Map();
    this.pending = false;
    return changes;
  }

  dispose(): void {
    this.detach(this);
  }
}

/** The model's side: records each change into every live tracker. */
export class ChangeRecorder {
  private readonly trackers = new Set<Tracker>();

  createTracker(): ChangeTracker {
    const tracker = new Tracker((done) => this.trackers.delete(done));
    this.trackers.add(tracker);
    return tracker;
  }

  sessionListChanged(): void {
    for (const tracker of this.trackers) {
      tracker.sessionList = true;
      tracker.pending = true;
    }
  }

  sessionChanged(sessionId: string): void {
    for (const tracker of this.trackers) {
      tracker.sessions.add(sessionId);
      tracker.pending = true;
    }
  }

  structureChanged(sessionId: string): void {
    for (const tracker of this.trackers) {
      tracker.structure.add(sessionId);
      tracker.pending = true;
    }
  }

  processChanged(sessionId: string, key: string): void {
    for (const tracker of this.trackers) {
      addTo(tracker.processes, sessionId, key);
      tracker.pending = true;
    }
  }

  objectChanged(sessionId: string, id: string): void {
    for (const tracker of this.trackers) {
      addTo(tracker.objects, sessionId, id);
      tracker.pending = true;
    }
  }
}

function addTo(map: Map<string, Set<string>>, sessionId: string, id: string): void {
  let ids = map.get(sessionId);
  if (!ids) {
    ids = new Set();
    map.set(sessionId, ids);
  }
  ids.add(id);
}
