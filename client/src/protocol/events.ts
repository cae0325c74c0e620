// TypeScript view of runtime/mpscope/events.schema.json (protocol version 1).
// The schema is the source of truth: every type here is named after its event kind (the `kind`
// string is the key of `EventsByKind`), and client/test/unit/protocolTypes.test.ts fails when
// the schema's list of kinds and this file drift apart.

export const PROTOCOL_VERSION = 1;

/** Fields every event carries. `pid` is always the process that sent the event. */
export interface Envelope {
  readonly v: typeof PROTOCOL_VERSION;
  readonly kind: string;
  /** Wall-clock time, seconds since the epoch. */
  readonly t: number;
  readonly pid: number;
  /** Per-stream sequence number. */
  readonly seq?: number;
}

export type Role =
  | 'main'
  | 'process'
  | 'pool-worker'
  | 'executor-worker'
  | 'manager'
  | 'resource-tracker'
  | 'forkserver'
  | 'fork'
  | 'launcher';

export type StartMethod = 'fork' | 'spawn' | 'forkserver';

export type ExitReporter = 'self' | 'parent' | 'launcher' | 'collector';

/** pool: multiprocessing.Pool (and contexts' Pool, subclasses); executor: ProcessPoolExecutor. */
export type PoolApi = 'pool' | 'executor';

/** The API call that submitted tasks. */
export type TaskMethod =
  | 'apply'
  | 'apply_async'
  | 'map'
  | 'map_async'
  | 'starmap'
  | 'starmap_async'
  | 'imap'
  | 'imap_unordered'
  | 'submit';

/**
 * How a process answers a request for the stacks of all its threads. `signal`: send SIGURG to
 * the pid and read what faulthandler appends to `file`; `request`: write a `request.stacks` line
 * on its stream and wait for its `stacks` event.
 */
export interface StacksSupport {
  readonly via: 'signal' | 'request';
  readonly signal?: 'SIGURG';
  readonly file?: string;
  /** SIGQUIT (Ctrl-\ in a terminal) also dumps into `file` instead of ending the process. */
  readonly sigquit?: boolean;
}

/** Where the user's code made a call. `line` is 1-based. */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly function?: string;
}

export interface ExceptionInfo {
  readonly type: string;
  readonly message: string;
  readonly traceback?: string;
  /** Innermost frame of the traceback in user code. */
  readonly site?: Site;
}

export interface Hello extends Envelope {
  readonly kind: 'hello';
  readonly token: string;
  readonly ppid: number;
  readonly role: Role;
  readonly start_method?: StartMethod;
  readonly name?: string;
  readonly python: string;
  readonly executable?: string;
  readonly argv?: readonly string[];
  readonly cwd?: string;
  readonly platform?: string;
  readonly runtime: string;
  /** Absent: the process cannot be asked for its stacks. */
  readonly stacks?: StacksSupport;
}

export interface ProcessCreated extends Envelope {
  readonly kind: 'process.created';
  readonly proc: string;
  readonly name: string;
  readonly daemon?: boolean;
  readonly target?: string;
  readonly class?: string;
  readonly site?: Site;
  readonly start_method: StartMethod;
  readonly role: Role;
  readonly args?: string;
  /** For pool-worker and executor-worker processes: the id of their pool (see pool.created). */
  readonly pool?: string;
  /** A worker started to replace one that exited, after its pool was running. */
  readonly replacement?: boolean;
}

export interface ProcessStarted extends Envelope {
  readonly kind: 'process.started';
  readonly proc: string;
  readonly child_pid: number;
  /** The child says hello only with its first event of its own; its parent reports its exit. */
  readonly quiet?: boolean;
  /** How to ask a quiet child for its stacks (its dump file exists once it registered). */
  readonly stacks?: StacksSupport;
}

export interface ProcessJoined extends Envelope {
  readonly kind: 'process.joined';
  readonly child_pid: number;
  readonly timeout?: number | null;
  /** Seconds join() blocked. */
  readonly waited: number;
  /** True when join() returned on its timeout. */
  readonly alive?: boolean;
}

export interface ProcessSignalled extends Envelope {
  readonly kind: 'process.signalled';
  readonly child_pid: number;
  readonly method: 'terminate' | 'kill';
  readonly signal: string;
}

export interface ProcessClosed extends Envelope {
  readonly kind: 'process.closed';
  readonly child_pid: number;
}

export interface ProcessExited extends Envelope {
  readonly kind: 'process.exited';
  /** The exited process when the sender is its parent or launcher; absent when reporter is self. */
  readonly child_pid?: number;
  readonly reporter: ExitReporter;
  /** multiprocessing's convention: negative = killed by that signal; null = unknown. */
  readonly exitcode: number | null;
  readonly signal?: string | null;
  readonly exception?: ExceptionInfo;
}

/** A runtime hook failed and disabled itself (the kind is `runtime.error`). */
export interface RuntimeError extends Envelope {
  readonly kind: 'runtime.error';
  readonly where: string;
  readonly message: string;
}

/** The sender created a process pool (before the process.created of its first worker). */
export interface PoolCreated extends Envelope {
  readonly kind: 'pool.created';
  /** `<creator pid>-<n>`, unique in the run. */
  readonly pool: string;
  readonly api: PoolApi;
  readonly class?: string;
  readonly site?: Site;
  /** Number of workers (Pool processes, executor max_workers). */
  readonly processes: number;
  /** Tasks a worker runs before it is replaced; null: unlimited. */
  readonly maxtasksperchild?: number | null;
  readonly initializer?: string;
  readonly start_method?: StartMethod;
}

/** Pool.close() or ProcessPoolExecutor.shutdown(): no new tasks are accepted. */
export interface PoolClosed extends Envelope {
  readonly kind: 'pool.closed';
  readonly pool: string;
  readonly site?: Site;
  /** Executor only: shutdown(wait=...). */
  readonly wait?: boolean;
  /** Executor only: shutdown(cancel_futures=...). */
  readonly cancel_futures?: boolean;
}

/** A Pool stops its workers at once (terminate(), the end of a `with` block, or its finalizer). */
export interface PoolTerminated extends Envelope {
  readonly kind: 'pool.terminated';
  readonly pool: string;
  readonly site?: Site;
  /** Nobody called terminate(): garbage-collected, or still open at interpreter exit. */
  readonly finalizer?: boolean;
}

/** Pool.join() (or shutdown(wait=True)) returned. */
export interface PoolJoined extends Envelope {
  readonly kind: 'pool.joined';
  readonly pool: string;
  readonly site?: Site;
}

/** Tasks submitted to a pool, counted per (pool, method, func) on the submitting side. */
export interface TaskSubmitted extends Envelope {
  readonly kind: 'task.submitted';
  readonly pool: string;
  readonly method: TaskMethod;
  readonly func?: string;
  /** Calls of this method with this func on this pool so far (cumulative). */
  readonly calls: number;
  /** The job id of this call: the `job` of the task.finished events it produces. */
  readonly job?: number;
  readonly chunksize?: number;
  /** Input items when known in advance (null for lazy iterables). */
  readonly items?: number | null;
  readonly site?: Site;
}

/** One task (or chunk) as the worker that ran it saw it: slow, failed, or every one in full detail. */
export interface TaskFinished extends Envelope {
  readonly kind: 'task.finished';
  readonly job: number;
  /** Pool only: the task's index in its job (for chunks: the chunk index). */
  readonly index?: number;
  /** For a chunk of a map-family call: how many items it held. */
  readonly items?: number;
  readonly func?: string;
  /** Wall-clock time the worker began the task. */
  readonly started: number;
  /** Seconds from taking the task to handing back its result. */
  readonly duration: number;
  readonly ok: boolean;
  readonly exception?: ExceptionInfo;
  /** Set when the worker process ended while running the task: its exit code. */
  readonly exitcode?: number | null;
}

/** Running totals of the tasks the sending worker has run (cumulative: the latest replaces). */
export interface TaskCounters extends Envelope {
  readonly kind: 'task.counters';
  readonly done: number;
  readonly failed: number;
  /** Total seconds spent in tasks. */
  readonly time: number;
  /** The longest task, seconds. */
  readonly max: number;
}

export interface StackFrame {
  readonly file: string;
  /** Null when CPython could not tell. */
  readonly line: number | null;
  readonly function: string;
}

export interface ThreadStack {
  /** threading.get_ident() of the thread. */
  readonly ident: number;
  readonly name?: string;
  readonly main?: boolean;
  /** Innermost (most recent call) first. */
  readonly frames: readonly StackFrame[];
  readonly frames_truncated?: boolean;
}

export type StacksReason = 'request' | 'sigquit' | 'timer';

/**
 * The stacks of all Python threads of one process at one moment: from the process itself
 * (reporter self) or from a collector that read its dump file (reporter collector, `child_pid`
 * names the process). Empty `threads` with `error`: the process did not answer.
 */
export interface Stacks extends Envelope {
  readonly kind: 'stacks';
  readonly reporter: 'self' | 'collector';
  readonly child_pid?: number;
  /** Id of the request.stacks line this answers. */
  readonly request?: string;
  readonly reason?: StacksReason;
  /** The main thread first when known. */
  readonly threads: readonly ThreadStack[];
  readonly threads_truncated?: boolean;
  readonly error?: string;
}

/**
 * Id of a queue, lock, pipe, manager or shared object: opaque, unique in the run, the same in
 * every process that uses the object.
 */
export type ObjectId = string;

/** How a wait ended: it got what it waited for, timed out, or raised. */
export type WaitOutcome = 'ok' | 'timeout' | 'interrupted';

export type QueueKind = 'Queue' | 'JoinableQueue' | 'SimpleQueue' | 'manager-queue';

/** The sender created a queue in user code. */
export interface QueueCreated extends Envelope {
  readonly kind: 'queue.created';
  readonly queue: ObjectId;
  readonly queue_kind: QueueKind;
  /** Null: unbounded. */
  readonly maxsize?: number | null;
  readonly class?: string;
  /** manager-queue: the address of its manager. */
  readonly manager_address?: string;
  readonly site?: Site;
}

/** Running totals of what the sending process did with one queue (cumulative). */
export interface QueueCounters extends Envelope {
  readonly kind: 'queue.counters';
  readonly queue: ObjectId;
  readonly puts: number;
  readonly gets: number;
  readonly task_done?: number;
  readonly joins?: number;
  /** Items in the queue at that moment, all processes together (absent where unreadable). */
  readonly backlog?: number;
}

/** A put, get or join of the sender waited at least the wait threshold. */
export interface QueueBlocked extends Envelope {
  readonly kind: 'queue.blocked';
  readonly queue: ObjectId;
  readonly op: 'put' | 'get' | 'join';
  /** When the wait began. */
  readonly since: number;
  readonly waited: number;
  readonly outcome?: WaitOutcome;
  readonly site?: Site;
}

/** The sender ends while the queue still holds items. */
export interface QueueLeftover extends Envelope {
  readonly kind: 'queue.leftover';
  readonly queue: ObjectId;
  /** Null when it holds some but their number cannot be read (SimpleQueue). */
  readonly backlog: number | null;
  /** Items this process put that never left it: lost. */
  readonly buffered: number;
}

/** The sender called Pipe() in user code. */
export interface PipeCreated extends Envelope {
  readonly kind: 'pipe.created';
  readonly pipe: ObjectId;
  readonly duplex: boolean;
  /** The two connections Pipe() returned, in order. */
  readonly ends: readonly ObjectId[];
  readonly site?: Site;
}

/** Running totals of what the sender did with one connection end (cumulative). */
export interface PipeCounters extends Envelope {
  readonly kind: 'pipe.counters';
  readonly conn: ObjectId;
  readonly sends: number;
  readonly recvs: number;
}

/** A send or receive on a user's pipe waited at least the wait threshold. */
export interface PipeBlocked extends Envelope {
  readonly kind: 'pipe.blocked';
  readonly conn: ObjectId;
  readonly op: 'send' | 'recv';
  readonly since: number;
  readonly waited: number;
  readonly site?: Site;
}

export type SyncKind = 'Lock' | 'RLock' | 'Semaphore' | 'BoundedSemaphore' | 'Condition' | 'Event' | 'Barrier';

/** The sender created a synchronization primitive in user code. */
export interface SyncCreated extends Envelope {
  readonly kind: 'sync.created';
  readonly sync: ObjectId;
  readonly sync_kind: SyncKind;
  readonly value?: number;
  readonly maxvalue?: number;
  readonly parties?: number;
  readonly site?: Site;
}

/** The sender waited at least the wait threshold to acquire, or in a wait(). */
export interface SyncWait extends Envelope {
  readonly kind: 'sync.wait';
  readonly sync: ObjectId;
  readonly sync_kind: SyncKind;
  readonly op: 'acquire' | 'wait';
  readonly since: number;
  readonly waited: number;
  readonly outcome?: WaitOutcome;
  /** The process holding the lock when the wait began, when known. */
  readonly holder_pid?: number;
  readonly site?: Site;
}

/** The sender started a Manager (or connected to one running elsewhere). */
export interface ManagerCreated extends Envelope {
  readonly kind: 'manager.created';
  readonly manager: ObjectId;
  readonly class: string;
  readonly address?: string;
  readonly server_pid?: number;
  /** connect() to a server this process did not start. */
  readonly connected?: boolean;
  readonly site?: Site;
}

export type SharedKind = 'Value' | 'Array' | 'RawValue' | 'RawArray' | 'SharedMemory' | 'ShareableList' | 'manager';

/** The sender created shared state in user code (shared ctypes, shared_memory, Manager objects). */
export interface SharedCreated extends Envelope {
  readonly kind: 'shared.created';
  readonly shared: ObjectId;
  readonly shared_kind: SharedKind;
  readonly typecode?: string;
  readonly size?: number;
  readonly length?: number;
  readonly lock?: boolean;
  readonly name?: string;
  readonly typeid?: string;
  readonly manager_address?: string;
  readonly site?: Site;
}

/** A request line the collector writes on a process's stream (not an event). */
export interface StacksRequest {
  readonly kind: 'request.stacks';
  readonly id: string;
}

/** Every event kind of the protocol, by its wire name. */
export interface EventsByKind {
  'hello': Hello;
  'process.created': ProcessCreated;
  'process.started': ProcessStarted;
  'process.joined': ProcessJoined;
  'process.signalled': ProcessSignalled;
  'process.closed': ProcessClosed;
  'process.exited': ProcessExited;
  'runtime.error': RuntimeError;
  'pool.created': PoolCreated;
  'pool.closed': PoolClosed;
  'pool.terminated': PoolTerminated;
  'pool.joined': PoolJoined;
  'task.submitted': TaskSubmitted;
  'task.finished': TaskFinished;
  'task.counters': TaskCounters;
  'stacks': Stacks;
  'queue.created': QueueCreated;
  'queue.counters': QueueCounters;
  'queue.blocked': QueueBlocked;
  'queue.leftover': QueueLeftover;
  'pipe.created': PipeCreated;
  'pipe.counters': PipeCounters;
  'pipe.blocked': PipeBlocked;
  'sync.created': SyncCreated;
  'sync.wait': SyncWait;
  'manager.created': ManagerCreated;
  'shared.created': SharedCreated;
}

export type EventKind = keyof EventsByKind;
export type MpscopeEvent = EventsByKind[EventKind];

/** The kinds in schema order; a unit test compares this list with the schema's `oneOf`. */
export const EVENT_KINDS: readonly EventKind[] = [
  'hello',
  'process.created',
  'process.started',
  'process.joined',
  'process.signalled',
  'process.closed',
  'process.exited',
  'runtime.error',
  'pool.created',
  'pool.closed',
  'pool.terminated',
  'pool.joined',
  'task.submitted',
  'task.finished',
  'task.counters',
  'stacks',
  'queue.created',
  'queue.counters',
  'queue.blocked',
  'queue.leftover',
  'pipe.created',
  'pipe.counters',
  'pipe.blocked',
  'sync.created',
  'sync.wait',
  'manager.created',
  'shared.created',
];
