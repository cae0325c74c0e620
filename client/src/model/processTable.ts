// The processes of one session: lifecycle events in, one record per process out, nested by
// parent. Events arrive on one stream per process, so their order across processes is not
// guaranteed (a child's hello may come before its parent's process.started): every handler
// accepts either order and the result is the same. Snapshots of the OS process list are a second
// input (observeOs): they add the children the runtime cannot see, zombies, and processes that
// vanished without a word.
import type {
  ExceptionInfo,
  Hello,
  ProcessClosed,
  ProcessCreated,
  ProcessExited,
  ProcessJoined,
  ProcessSignalled,
  ProcessStarted,
  RuntimeError,
  Site,
} from '../protocol/events';
import type { ChangeRecorder } from './changes';
import { ExitReport, mergeExitReports, processState } from './exitRecord';
import { commandName, descendantsOf, isZombieStat, OsObservation, OsProcess, OsSnapshot, sameStart, startedBy } from './osSnapshot';
import type { SignalTable } from './signals';
import type {
  ExitSnapshot,
  InterpreterInfo,
  JoinInfo,
  ProcessSnapshot,
  ProcessState,
  Role,
  RuntimeErrorInfo,
  SignalRequest,
  StartMethod,
} from './types';

/** What the table needs from its session. */
export interface ProcessTableContext {
  readonly sessionId: string;
  readonly changes: ChangeRecorder;
  readonly signals: SignalTable | undefined;
  /** The launcher is not a process of the tree: its children are roots. */
  isLauncher(pid: number): boolean;
  /** An event that could not be applied. */
  ignored(): void;
}

/** Names for processes that neither their creator nor their hello named. */
const ROLE_NAMES: Partial<Record<Role, string>> = {
  'main': 'MainProcess',
  'resource-tracker': 'resource tracker',
  'forkserver': 'forkserver',
  'manager': 'manager server',
  'fork': 'os.fork() child',
};

// Bounds that keep a misbehaving program from growing the model without limit.
const MAX_RUNTIME_ERRORS_PER_PROCESS = 20;
const MAX_PENDING_CREATIONS = 10_000;

export class ProcessRecord implements ProcessSnapshot {
  parentKey: string | null = null;
  logicalParentPid: number | null = null;
  osParentPid: number | null = null;
  proc: string | null = null;
  name: string;
  role: Role | null = null;
  startMethod: StartMethod | null = null;
  target: string | null = null;
  className: string | null = null;
  daemon: boolean | null = null;
  args: string | null = null;
  site: Site | null = null;
  pool: string | null = null;
  replacement = false;
  state: ProcessState = 'starting';
  connected = false;
  quiet = false;
  startedAt: number | null = null;
  endedAt: number | null = null;
  exit: ExitSnapshot | null = null;
  signalled: SignalRequest | null = null;
  joined: JoinInfo | null = null;
  closed = false;
  interpreter: InterpreterInfo | null = null;
  runtimeErrors: RuntimeErrorInfo[] = [];
  external = false;
  orphaned = false;
  os: OsObservation | null = null;

  /** Internal bookkeeping, not part of the snapshot. */
  saidHello = false;
  streamClosed = false;
  namedByCreator = false;
  /** OS parent pid this record waits for (no record for it yet). */
  waitingFor: number | null = null;
  exitReports: ExitReport[] = [];

  constructor(readonly key: string, readonly pid: number) {
    this.name = `pid ${pid}`;
  }

  noteStart(t: number): void {
    if (this.startedAt === null || t < this.startedAt) {
      this.startedAt = t;
    }
  }

  toSnapshot(): ProcessSnapshot {
    return {
      key: this.key,
      pid: this.pid,
      parentKey: this.parentKey,
      logicalParentPid: this.logicalParentPid,
      osParentPid: this.osParentPid,
      proc: this.proc,
      name: this.name,
      role: this.role,
      startMethod: this.startMethod,
      target: this.target,
      className: this.className,
      daemon: this.daemon,
      args: this.args,
      site: this.site && copySite(this.site),
      pool: this.pool,
      replacement: this.replacement,
      state: this.state,
      connected: this.connected,
      quiet: this.quiet,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      exit: this.exit && {
        exitcode: this.exit.exitcode,
        signal: this.exit.signal,
        exception: this.exit.exception && copyException(this.exit.exception),
        reporters: [...this.exit.reporters],
        t: this.exit.t,
      },
      signalled: this.signalled && { ...this.signalled },
      joined: this.joined && { ...this.joined },
      closed: this.closed,
      interpreter: this.interpreter && {
        ...this.interpreter,
        argv: this.interpreter.argv && [...this.interpreter.argv],
      },
      runtimeErrors: this.runtimeErrors.map((error) => ({ ...error })),
      external: this.external,
      orphaned: this.orphaned,
      os: this.os && { ...this.os },
    };
  }

  /** The OS listed it in the latest snapshot (zombies included). */
  get listedByOs(): boolean {
    return this.os !== null && this.os.vanishedAt === null;
  }
}

export class ProcessTable {
  /** Every record, in order of first appearance. */
  private readonly records = new Map<string, ProcessRecord>();
  /** The newest record for each pid (pids can be reused within a long run). */
  private readonly current = new Map<number, ProcessRecord>();
  private readonly generations = new Map<number, number>();
  /** Children by parent key; the `null` entry holds the roots. */
  private readonly children = new Map<string | null, Set<ProcessRecord>>([[null, new Set()]]);
  /** Records whose OS parent pid has no record yet, by that pid. */
  private readonly waiting = new Map<number, Set<ProcessRecord>>();
  private readonly pendingCreations = new Map<string, ProcessCreated>();
  /** Counts changes, so an OS snapshot that changed nothing notifies nobody. */
  private mutations = 0;

  constructor(private readonly context: ProcessTableContext) {}

  get size(): number {
    return this.records.size;
  }

  all(): IterableIterator<ProcessRecord> {
    return this.records.values();
  }

  get(key: string): ProcessRecord | undefined {
    return this.records.get(key);
  }

  /** The newest record for a pid. */
  byPid(pid: number): ProcessRecord | undefined {
    return this.current.get(pid);
  }

  /** Children of a process, or the session's roots for `null`, in order of arrival. */
  childrenOf(key: string | null): readonly ProcessRecord[] {
    const set = this.children.get(key);
    return set ? [...set] : [];
  }

  childCount(key: string | null): number {
    return this.children.get(key)?.size ?? 0;
  }

  hello(event: Hello): void {
    let record = this.current.get(event.pid);
    if (record && record.saidHello && (hasInformedExit(record) || record.osParentPid !== event.ppid)) {
      record = undefined; // the pid was reused by a new process
    }
    record ??= this.add(event.pid);
    // Otherwise the same process connected again: a "lost" from its earlier stream is void.
    removeCollectorReports(record);
    record.saidHello = true;
    record.quiet = false;
    record.external = false;
    record.connected = true;
    record.streamClosed = false;
    record.osParentPid = event.ppid;
    record.role = event.role;
    if (event.start_method !== undefined) {
      record.startMethod = event.start_method;
    }
    if (!record.namedByCreator) {
      record.name = event.name ?? ROLE_NAMES[event.role] ?? record.name;
    }
    record.interpreter = {
      python: event.python,
      runtime: event.runtime,
      executable: event.executable ?? null,
      argv: event.argv ? [...event.argv] : null,
      cwd: event.cwd ?? null,
      platform: event.platform ?? null,
    };
    record.noteStart(event.t);
    if (record.logicalParentPid === null) {
      this.placeUnder(record, event.ppid);
    }
    this.refresh(record);
  }

  created(event: ProcessCreated): void {
    if (this.pendingCreations.size >= MAX_PENDING_CREATIONS) {
      // Creations whose start never came (start() failed) are the oldest; forget one.
      const oldest = this.pendingCreations.keys().next().value;
      if (oldest !== undefined) {
        this.pendingCreations.delete(oldest);
      }
    }
    this.pendingCreations.set(event.proc, event);
  }

  started(event: ProcessStarted): void {
    const creation = this.pendingCreations.get(event.proc);
    this.pendingCreations.delete(event.proc);
    let record = this.current.get(event.child_pid);
    if (record && record.proc !== null && record.proc !== event.proc) {
      record = undefined; // the pid was reused by another Process object
    }
    record ??= this.add(event.child_pid);
    record.external = false;
    record.proc = event.proc;
    record.logicalParentPid = event.pid;
    if (event.quiet === true && !record.saidHello) {
      record.quiet = true;
    }
    this.placeUnder(record, event.pid);
    if (creation) {
      record.name = creation.name;
      record.namedByCreator = true;
      if (!record.saidHello) {
        record.role = creation.role;
      }
      record.startMethod ??= creation.start_method;
      record.target = creation.target ?? record.target;
      record.className = creation.class ?? record.className;
      record.daemon = creation.daemon ?? record.daemon;
      record.args = creation.args ?? record.args;
      record.site = creation.site ? copySite(creation.site) : record.site;
      record.pool = creation.pool ?? record.pool;
      record.replacement = record.replacement || creation.replacement === true;
      record.noteStart(creation.t);
    }
    record.noteStart(event.t);
    this.refresh(record);
  }

  joined(event: ProcessJoined): void {
    const record = this.childOf(event.pid, event.child_pid);
    record.joined = {
      byPid: event.pid,
      waited: event.waited,
      timeout: event.timeout ?? null,
      alive: event.alive ?? false,
      t: event.t,
    };
    this.refresh(record);
  }

  signalled(event: ProcessSignalled): void {
    const record = this.childOf(event.pid, event.child_pid);
    record.signalled = { method: event.method, signal: event.signal, byPid: event.pid, t: event.t };
    this.refresh(record);
  }

  closed(event: ProcessClosed): void {
    const record = this.childOf(event.pid, event.child_pid);
    record.closed = true;
    this.refresh(record);
  }

  exited(event: ProcessExited): void {
    let record: ProcessRecord;
    if (event.reporter === 'self') {
      record = this.current.get(event.pid) ?? this.add(event.pid);
    } else if (event.reporter === 'collector') {
      // A collector (e.g. the terminal launcher writing a .jsonl) may name the lost process
      // either way.
      const pid = event.child_pid ?? event.pid;
      record = this.current.get(pid) ?? this.add(pid);
    } else if (event.child_pid === undefined) {
      this.context.ignored(); // a parent's or launcher's record must say whose exit it is
      return;
    } else {
      record = this.childOf(event.pid, event.child_pid);
    }
    record.exitReports.push({
      reporter: event.reporter,
      exitcode: event.exitcode,
      signal: event.signal ?? null,
      exception: event.exception ? copyException(event.exception) : null,
      t: event.t,
    });
    this.refresh(record);
  }

  runtimeError(event: RuntimeError): boolean {
    const record = this.current.get(event.pid);
    if (!record) {
      return false;
    }
    if (record.runtimeErrors.length < MAX_RUNTIME_ERRORS_PER_PROCESS) {
      record.runtimeErrors.push({ where: event.where, message: event.message, t: event.t });
      this.context.changes.processChanged(this.context.sessionId, record.key);
    }
    return true;
  }

  /** A process's stream closed: without any exit report so far, it is lost. */
  streamClosed(pid: number, t: number): void {
    const record = this.current.get(pid);
    if (!record) {
      return;
    }
    record.connected = false;
    record.streamClosed = true;
    if (record.exitReports.length === 0) {
      record.exitReports.push({ reporter: 'collector', exitcode: null, signal: null, exception: null, t });
    }
    this.refresh(record);
  }

  /**
   * A snapshot of the OS process list. `roots` are the processes whose descendants belong to the
   * session (the launcher of a run, the debuggee of a debug session). Returns whether anything
   * changed, and the entries of the snapshot that mattered (what a recording must keep for a
   * replay to come to the same result).
   */
  observeOs(snapshot: OsSnapshot, roots: Iterable<number>): { changed: boolean; relevant: OsProcess[] } {
    const before = this.mutations;
    const relevant: OsProcess[] = [];
    const listed = new Map<number, OsProcess>();
    for (const entry of snapshot.processes) {
      listed.set(entry.pid, entry);
    }
    // What the OS says about the processes the session knows.
    for (const record of [...this.current.values()]) {
      const entry = listed.get(record.pid);
      if (record.listedByOs) {
        // A different start time: it ended, and another process got its pid.
        if (entry && sameStart(record.os?.startedAt, entry.startedAt)) {
          relevant.push(entry);
          this.seenByOs(record, entry, snapshot.t);
        } else {
          this.vanished(record, snapshot.t);
        }
      } else if (record.os === null && entry && isSameProcess(record, entry)) {
        relevant.push(entry);
        this.seenByOs(record, entry, snapshot.t);
      }
    }
    // Processes nobody reported: the descendants of the roots and of every process the OS lists
    // (so the children of an orphan, whose parent is no longer below the roots, are found too).
    const anchors = new Set(roots);
    for (const record of this.current.values()) {
      if (record.listedByOs) {
        anchors.add(record.pid);
      }
    }
    for (const entry of descendantsOf(snapshot.processes, anchors)) {
      if (this.current.get(entry.pid)?.listedByOs) {
        continue;
      }
      relevant.push(entry);
      // Unknown, or a record of an earlier process with the same pid: a new process.
      const record = this.add(entry.pid);
      record.external = true;
      record.name = commandName(entry.command) || record.name;
      this.seenByOs(record, entry, snapshot.t);
      this.placeUnder(record, entry.ppid);
      this.refresh(record);
    }
    return { changed: this.mutations !== before, relevant: [...new Map(relevant.map((entry) => [entry.pid, entry])).values()] };
  }

  /** The session learned its launcher's pid: processes waiting for it as parent are roots. */
  launcherKnown(pid: number): void {
    const waiting = this.waiting.get(pid);
    if (waiting) {
      for (const record of waiting) {
        record.waitingFor = null;
      }
      this.waiting.delete(pid);
    }
  }

  private add(pid: number): ProcessRecord {
    const generation = (this.generations.get(pid) ?? 0) + 1;
    this.generations.set(pid, generation);
    const record = new ProcessRecord(generation === 1 ? String(pid) : `${pid}#${generation}`, pid);
    this.mutations++;
    this.records.set(record.key, record);
    this.current.set(pid, record);
    this.rootSet().add(record);
    this.children.set(record.key, new Set());
    this.context.changes.structureChanged(this.context.sessionId);
    this.adoptWaiting(record);
    return record;
  }

  /** Records that named this pid as their OS parent before it was known move under it. */
  private adoptWaiting(parent: ProcessRecord): void {
    const waiting = this.waiting.get(parent.pid);
    if (!waiting) {
      return;
    }
    this.waiting.delete(parent.pid);
    for (const record of waiting) {
      record.waitingFor = null;
      if (record.logicalParentPid === null) {
        this.setParent(record, parent);
        this.refreshState(record);
      }
    }
  }

  /** Puts a record under the process with pid `parentPid` (or waits for it to appear). */
  private placeUnder(record: ProcessRecord, parentPid: number): void {
    this.stopWaiting(record);
    if (this.context.isLauncher(parentPid)) {
      this.setParent(record, null);
      return;
    }
    const parent = this.current.get(parentPid);
    if (parent) {
      this.setParent(record, parent);
      return;
    }
    this.setParent(record, null);
    record.waitingFor = parentPid;
    let waiting = this.waiting.get(parentPid);
    if (!waiting) {
      waiting = new Set();
      this.waiting.set(parentPid, waiting);
    }
    waiting.add(record);
  }

  private stopWaiting(record: ProcessRecord): void {
    if (record.waitingFor !== null) {
      this.waiting.get(record.waitingFor)?.delete(record);
      record.waitingFor = null;
    }
  }

  private setParent(record: ProcessRecord, parent: ProcessRecord | null): void {
    if (parent && this.isAncestorOrSelf(record, parent)) {
      // Inconsistent reports would make a cycle, which no tree can show: keep it a root.
      this.context.ignored();
      parent = null;
    }
    const key = parent ? parent.key : null;
    if (record.parentKey === key) {
      return;
    }
    this.children.get(record.parentKey)?.delete(record);
    record.parentKey = key;
    let siblings = this.children.get(key);
    if (!siblings) {
      siblings = new Set();
      this.children.set(key, siblings);
    }
    siblings.add(record);
    this.mutations++;
    this.context.changes.structureChanged(this.context.sessionId);
  }

  private isAncestorOrSelf(record: ProcessRecord, candidate: ProcessRecord): boolean {
    let node: ProcessRecord | undefined = candidate;
    for (let depth = 0; node && depth <= this.records.size; depth++) {
      if (node === record) {
        return true;
      }
      node = node.parentKey === null ? undefined : this.records.get(node.parentKey);
    }
    return false;
  }

  /** The child an event from `senderPid` is about; created when the event is the first word of it. */
  private childOf(senderPid: number, childPid: number): ProcessRecord {
    const existing = this.current.get(childPid);
    if (existing) {
      existing.external = false; // a Python parent speaks of it: a multiprocessing child
      return existing;
    }
    const record = this.add(childPid);
    record.logicalParentPid = senderPid;
    this.placeUnder(record, senderPid);
    return record;
  }

  private rootSet(): Set<ProcessRecord> {
    return this.children.get(null) as Set<ProcessRecord>;
  }

  private refresh(record: ProcessRecord): void {
    const endedBefore = record.endedAt;
    record.exit = mergeExitReports(record.exitReports, this.context.signals);
    record.endedAt = record.exit ? record.exit.t : null;
    this.deriveState(record);
    this.mutations++;
    this.context.changes.processChanged(this.context.sessionId, record.key);
    if (record.endedAt !== endedBefore) {
      // Whether its children are orphans depends on when it ended.
      for (const child of this.children.get(record.key) ?? []) {
        this.refreshState(child);
      }
    }
  }

  /** Recomputes the state alone (its parent moved or ended); notifies only on a change. */
  private refreshState(record: ProcessRecord): void {
    const { state, orphaned } = record;
    this.deriveState(record);
    if (record.state !== state || record.orphaned !== orphaned) {
      this.mutations++;
      this.context.changes.processChanged(this.context.sessionId, record.key);
    }
  }

  private deriveState(record: ProcessRecord): void {
    const parent = record.parentKey === null ? undefined : this.records.get(record.parentKey);
    const parentEnded = parent?.endedAt ?? null;
    record.orphaned = parentEnded !== null && (record.endedAt === null || record.endedAt > parentEnded);
    if (record.listedByOs && record.os?.zombie) {
      record.state = 'zombie';
      return;
    }
    // The OS listing it alive says as much as a hello, and so does a parent that started it quiet.
    const lifecycle = processState(record.exit, record.saidHello || record.listedByOs || record.quiet);
    record.state = record.orphaned && (lifecycle === 'running' || lifecycle === 'starting') ? 'orphan' : lifecycle;
  }

  private seenByOs(record: ProcessRecord, entry: OsProcess, t: number): void {
    const zombie = isZombieStat(entry.stat);
    const before = record.os;
    // Run states (R, S, D…) flip all the time: only what the model keeps is a change, so a
    // snapshot that changes nothing is not recorded and a replay still ends in the same state.
    if (before && before.vanishedAt === null && before.zombie === zombie && before.ppid === entry.ppid && before.command === entry.command) {
      return;
    }
    const startedAt = before?.startedAt ?? entry.startedAt ?? null;
    record.os = { command: entry.command, ppid: entry.ppid, zombie, startedAt, firstSeen: before?.firstSeen ?? t, vanishedAt: null };
    this.refresh(record);
  }

  /** A process the OS listed before is gone: reaped, with or without anyone reporting its end. */
  private vanished(record: ProcessRecord, t: number): void {
    if (!record.os) {
      return;
    }
    record.os = { ...record.os, zombie: false, vanishedAt: t };
    if (record.exitReports.length === 0) {
      record.exitReports.push({ reporter: 'collector', exitcode: null, signal: null, exception: null, t });
    }
    this.refresh(record);
  }
}

/**
 * Whether a listed pid is the process a record the OS never listed before is about, and not a
 * later process that reused the pid: yes while nothing says it ended; after an end, only for a
 * zombie (or a process whose stream merely closed) under the parent the record knows.
 */
function isSameProcess(record: ProcessRecord, entry: OsProcess): boolean {
  if (!startedBy(entry.startedAt, record.startedAt)) {
    return false; // it started after the process the record is about
  }
  if (entry.startedAt !== undefined && record.startedAt !== null) {
    // It was running when this process said hello, so it is this process, even after it
    // reported its exit: a process still finishing (atexit, flushing) is listed for a while.
    // A pid reused within the start-time tolerance would need the OS to cycle through its pids.
    return true;
  }
  if (record.exitReports.length === 0) {
    return true;
  }
  const underKnownParent = entry.ppid === record.osParentPid || entry.ppid === record.logicalParentPid;
  return underKnownParent && (isZombieStat(entry.stat) || !hasInformedExit(record));
}

/** Someone who saw the process end (itself, its parent, the launcher) has reported. */
function hasInformedExit(record: ProcessRecord): boolean {
  return record.exitReports.some((report) => report.reporter !== 'collector');
}

function removeCollectorReports(record: ProcessRecord): void {
  if (record.exitReports.some((report) => report.reporter === 'collector')) {
    record.exitReports = record.exitReports.filter((report) => report.reporter !== 'collector');
  }
}

function copySite(site: Site): Site {
  return site.function === undefined
    ? { file: site.file, line: site.line }
    : { file: site.file, line: site.line, function: site.function };
}

function copyException(exception: ExceptionInfo): ExceptionInfo {
  const copy: { -readonly [K in keyof ExceptionInfo]: ExceptionInfo[K] } = {
    type: exception.type,
    message: exception.message,
  };
  if (exception.traceback !== undefined) {
    copy.traceback = exception.traceback;
  }
  if (exception.site !== undefined) {
    copy.site = copySite(exception.site);
  }
  return copy;
}
