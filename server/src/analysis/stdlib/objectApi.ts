// What the analysis knows about the objects multiprocessing programs hand to other processes,
// and the call signatures of the APIs that hand them over. Keyed by canonical qualified name
// (see `canonicalName`); anything missing is unknown, never guessed.
//
// Every entry below was checked against CPython 3.8 and 3.13 (pickling each object into a
// Pool task, an executor task and a spawned Process).

/**
 * multiprocessing synchronisation and shared-memory objects. Pickling one outside process
 * creation raises `RuntimeError: <Type> objects should only be shared between processes
 * through inheritance`. Value: the type name shown to users.
 */
export const SYNC_PRIMITIVES: ReadonlyMap<string, string> = new Map<string, string>([
  // Module functions and context methods (`ctx.Queue` resolves to `multiprocessing.Queue`).
  ...[
    'Queue',
    'JoinableQueue',
    'SimpleQueue',
    'Lock',
    'RLock',
    'Semaphore',
    'BoundedSemaphore',
    'Event',
    'Condition',
    'Barrier',
    'Value',
    'Array',
    'RawValue',
    'RawArray',
  ].map((name): [string, string] => [`multiprocessing.${name}`, name]),
  // The classes behind them, for code that imports them directly.
  ...['Queue', 'JoinableQueue', 'SimpleQueue'].map((name): [string, string] => [`multiprocessing.queues.${name}`, name]),
  ...['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Event', 'Condition', 'Barrier'].map(
    (name): [string, string] => [`multiprocessing.synchronize.${name}`, name],
  ),
  ...['Value', 'Array', 'RawValue', 'RawArray'].map((name): [string, string] => [`multiprocessing.sharedctypes.${name}`, name]),
]);

/**
 * Thread-level objects: they hold `_thread` locks, so pickling fails with
 * `TypeError: cannot pickle '_thread.lock' object` (or `_thread.RLock`, `_queue.SimpleQueue`).
 */
export const THREAD_OBJECTS: ReadonlySet<string> = new Set([
  'threading.Lock',
  'threading.RLock',
  'threading.Condition',
  'threading.Semaphore',
  'threading.BoundedSemaphore',
  'threading.Event',
  'threading.Barrier',
  'queue.Queue',
  'queue.LifoQueue',
  'queue.PriorityQueue',
  'queue.SimpleQueue',
]);

/**
 * Calls that return an open file object: `TypeError: cannot pickle '_io.TextIOWrapper' object`
 * (3.13: `cannot pickle 'TextIOWrapper' instances`). `open` is the builtin.
 */
export const FILE_OPENERS: ReadonlySet<string> = new Set(['builtins.open', 'io.open', 'os.fdopen']);

/**
 * Builtins whose result is never callable: `target=print("x")` passes `None` as the target.
 * Only functions people plausibly put there by mistake.
 */
export const NON_CALLABLE_RESULTS: ReadonlySet<string> = new Set([
  'builtins.print',
  'builtins.input',
  'builtins.len',
  'builtins.str',
  'builtins.int',
  'builtins.float',
  'builtins.range',
  'builtins.sorted',
  'builtins.list',
  'builtins.tuple',
  'builtins.dict',
  'builtins.set',
  'time.sleep',
]);

/** The shared-object factories of `SyncManager` (they return proxies). */
export const MANAGER_PROXY_METHODS: ReadonlySet<string> = new Set([
  'Queue',
  'JoinableQueue',
  'Event',
  'Lock',
  'RLock',
  'Semaphore',
  'BoundedSemaphore',
  'Condition',
  'Barrier',
  'Pool',
  'list',
  'dict',
  'Value',
  'Array',
  'Namespace',
]);

/** Manager classes whose instances have the methods above. */
export const SYNC_MANAGER_CLASSES: ReadonlySet<string> = new Set(['multiprocessing.managers.SyncManager']);

/** Methods that change a list, dict or set in place. */
export const CONTAINER_MUTATORS: ReadonlySet<string> = new Set([
  'append',
  'extend',
  'insert',
  'remove',
  'pop',
  'clear',
  'sort',
  'reverse',
  'update',
  'setdefault',
  'popitem',
  'add',
  'discard',
  'difference_update',
  'intersection_update',
  'symmetric_difference_update',
  '__setitem__',
  '__delitem__',
  '__iadd__',
]);

// ---------------------------------------------------------------------------------------------
// Signatures: parameter names in positional order (what a positional argument at index i means).

/** `Process(group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None)` */
export const PROCESS_PARAMETERS: readonly string[] = ['group', 'target', 'name', 'args', 'kwargs'];

/** `Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None)` */
export const POOL_PARAMETERS: readonly string[] = ['processes', 'initializer', 'initargs', 'maxtasksperchild', 'context'];

/** `ProcessPoolExecutor(max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None)` */
export const EXECUTOR_PARAMETERS: readonly string[] = ['max_workers', 'mp_context', 'initializer', 'initargs'];

export interface TaskMethodShape {
  readonly parameters: readonly string[];
  /** The parameter holding the function to run. */
  readonly callable: string;
  /** Parameters whose value is one task's argument tuple / keyword dict. */
  readonly argumentTuple?: string;
  readonly keywordDict?: string;
  /** Parameter whose elements each become a task (`map`) or a task's argument tuple (`starmap`). */
  readonly iterable?: string;
}

const APPLY: TaskMethodShape = { parameters: ['func', 'args', 'kwds'], callable: 'func', argumentTuple: 'args', keywordDict: 'kwds' };
const MAP: TaskMethodShape = { parameters: ['func', 'iterable', 'chunksize'], callable: 'func', iterable: 'iterable' };

/** `multiprocessing.pool.Pool` methods that pickle a function and its arguments to the workers. */
export const POOL_TASK_METHODS: ReadonlyMap<string, TaskMethodShape> = new Map([
  ['apply', APPLY],
  ['apply_async', { ...APPLY, parameters: [...APPLY.parameters, 'callback', 'error_callback'] }],
  ['map', MAP],
  ['map_async', { ...MAP, parameters: [...MAP.parameters, 'callback', 'error_callback'] }],
  ['imap', MAP],
  ['imap_unordered', MAP],
  ['starmap', MAP],
  ['starmap_async', { ...MAP, parameters: [...MAP.parameters, 'callback', 'error_callback'] }],
]);

/** Pool methods whose iterable yields argument tuples rather than single arguments. */
export const STARMAP_METHODS: ReadonlySet<string> = new Set(['starmap', 'starmap_async']);

/**
 * `ProcessPoolExecutor.submit(fn, /, *args, **kwargs)` and `.map(fn, *iterables, timeout=None,
 * chunksize=1)`: everything after `fn` is task data (for `map`, each positional is an iterable).
 */
export const EXECUTOR_TASK_METHODS: ReadonlySet<string> = new Set(['submit', 'map']);

/** Windows cannot wait on more handles than this; `ProcessPoolExecutor` refuses more workers there. */
export const MAX_WINDOWS_WORKERS = 61;
