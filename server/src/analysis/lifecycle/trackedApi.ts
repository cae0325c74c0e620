// The multiprocessing objects whose life the lifecycle analysis follows, the calls that make
// them, and the methods that move them from one phase of their life to the next. Keyed by the
// canonical qualified names the resolver produces. Anything not listed is not tracked.

/** What kind of object a creation site makes. */
export type TrackedKind =
  /** `multiprocessing.Pool` and `ThreadPool` (same `close`/`terminate`/`join` rules). */
  | 'pool'
  /** `concurrent.futures.ProcessPoolExecutor`. */
  | 'executor'
  /** `multiprocessing.Process` and its subclasses. */
  | 'process'
  /** `multiprocessing.Queue`, `JoinableQueue`, `SimpleQueue` (not a manager's queue proxies). */
  | 'queue'
  /** One end of `multiprocessing.Pipe()`. */
  | 'connection'
  /** `multiprocessing.Lock`, `RLock`, `Semaphore`, `BoundedSemaphore`, `Condition`. */
  | 'lock';

export interface TrackedConstructor {
  readonly kind: TrackedKind;
  /** The call returns a pair of objects (`Pipe()` → two connections). */
  readonly pair?: boolean;
}

export const TRACKED_CONSTRUCTORS: ReadonlyMap<string, TrackedConstructor> = new Map<string, TrackedConstructor>([
  ['multiprocessing.Pool', { kind: 'pool' }],
  ['multiprocessing.pool.Pool', { kind: 'pool' }],
  ['multiprocessing.pool.ThreadPool', { kind: 'pool' }],
  ['multiprocessing.dummy.Pool', { kind: 'pool' }],
  ['concurrent.futures.ProcessPoolExecutor', { kind: 'executor' }],
  ['multiprocessing.Process', { kind: 'process' }],
  ['multiprocessing.context.ForkProcess', { kind: 'process' }],
  ['multiprocessing.context.SpawnProcess', { kind: 'process' }],
  ['multiprocessing.context.ForkServerProcess', { kind: 'process' }],
  ['multiprocessing.Queue', { kind: 'queue' }],
  ['multiprocessing.JoinableQueue', { kind: 'queue' }],
  ['multiprocessing.SimpleQueue', { kind: 'queue' }],
  ['multiprocessing.queues.Queue', { kind: 'queue' }],
  ['multiprocessing.queues.JoinableQueue', { kind: 'queue' }],
  ['multiprocessing.queues.SimpleQueue', { kind: 'queue' }],
  ['multiprocessing.Pipe', { kind: 'connection', pair: true }],
  ['multiprocessing.connection.Pipe', { kind: 'connection', pair: true }],
  ['multiprocessing.Lock', { kind: 'lock' }],
  ['multiprocessing.RLock', { kind: 'lock' }],
  ['multiprocessing.Semaphore', { kind: 'lock' }],
  ['multiprocessing.BoundedSemaphore', { kind: 'lock' }],
  ['multiprocessing.Condition', { kind: 'lock' }],
  ['multiprocessing.synchronize.Lock', { kind: 'lock' }],
  ['multiprocessing.synchronize.RLock', { kind: 'lock' }],
  ['multiprocessing.synchronize.Semaphore', { kind: 'lock' }],
  ['multiprocessing.synchronize.BoundedSemaphore', { kind: 'lock' }],
  ['multiprocessing.synchronize.Condition', { kind: 'lock' }],
]);

/** Pool methods that submit work; each raises `ValueError: Pool not running` once the pool is closed. */
export const POOL_TASK_METHODS: ReadonlySet<string> = new Set([
  'apply',
  'apply_async',
  'map',
  'map_async',
  'imap',
  'imap_unordered',
  'starmap',
  'starmap_async',
]);

/** Executor methods that submit work; each raises `RuntimeError` after `shutdown()`. */
export const EXECUTOR_TASK_METHODS: ReadonlySet<string> = new Set(['submit', 'map']);

/** Methods whose result is the only way to learn that the task failed. */
export const ASYNC_SUBMIT_METHODS: ReadonlySet<string> = new Set(['apply_async', 'map_async', 'starmap_async', 'submit']);

/** Queue methods that take items out (drain it). */
export const QUEUE_GET_METHODS: ReadonlySet<string> = new Set(['get', 'get_nowait']);

/** Queue methods that put items in. */
export const QUEUE_PUT_METHODS: ReadonlySet<string> = new Set(['put', 'put_nowait']);

/**
 * Methods whose meaning the analysis relies on, per kind. A module-defined subclass that
 * overrides one of them is not tracked: its `start` or `close` may do anything.
 */
export const LIFECYCLE_METHODS: Readonly<Record<TrackedKind, readonly string[]>> = {
  pool: ['close', 'terminate', 'join', '__enter__', '__exit__', ...POOL_TASK_METHODS],
  executor: ['shutdown', '__enter__', '__exit__', ...EXECUTOR_TASK_METHODS],
  process: ['start', 'join', 'terminate', 'kill', 'close'],
  queue: [...QUEUE_GET_METHODS, ...QUEUE_PUT_METHODS],
  connection: [],
  lock: [],
};

/** Kinds that a `with` block manages (entering returns the object itself; leaving shuts it down). */
export const CONTEXT_MANAGED_KINDS: ReadonlySet<TrackedKind> = new Set(['pool', 'executor']);

/** Kinds that other processes share, where killing a user mid-operation can break them. */
export const SHARED_RESOURCE_KINDS: ReadonlySet<TrackedKind> = new Set(['queue', 'connection', 'lock']);
