// What the analysis knows about the standard library's process APIs, keyed by canonical
// qualified name (the documented public spelling). Anything missing here is simply unknown:
// the resolver never guesses what an unlisted name does.

/** The start method a process will be started with, as far as the code says. */
export type StartMethod = 'fork' | 'spawn' | 'forkserver' | 'default' | 'unknown';

/** What kind of child processes an API creates. */
export type ProcessApiKind = 'process' | 'pool' | 'manager' | 'executor';

export interface ProcessClassInfo {
  readonly kind: ProcessApiKind;
  /**
   * Constructing an instance creates (or, for pools, starts) the processes. False for manager
   * classes, whose server process starts with `.start()` or on entering a `with` block.
   */
  readonly startsOnConstruction: boolean;
  /** `with X(...) as y` binds `y` to the same object (`__enter__` returns self). */
  readonly enterReturnsSelf: boolean;
  /** Classes tied to one start method (`multiprocessing.context.ForkProcess`). */
  readonly startMethod?: StartMethod;
  /** Keyword argument that takes a context and so decides the start method. */
  readonly contextKeyword?: string;
}

export const PROCESS_CLASSES: ReadonlyMap<string, ProcessClassInfo> = new Map<string, ProcessClassInfo>([
  ['multiprocessing.Process', { kind: 'process', startsOnConstruction: true, enterReturnsSelf: false }],
  ['multiprocessing.process.BaseProcess', { kind: 'process', startsOnConstruction: true, enterReturnsSelf: false }],
  [
    'multiprocessing.context.ForkProcess',
    { kind: 'process', startsOnConstruction: true, enterReturnsSelf: false, startMethod: 'fork' },
  ],
  [
    'multiprocessing.context.SpawnProcess',
    { kind: 'process', startsOnConstruction: true, enterReturnsSelf: false, startMethod: 'spawn' },
  ],
  [
    'multiprocessing.context.ForkServerProcess',
    { kind: 'process', startsOnConstruction: true, enterReturnsSelf: false, startMethod: 'forkserver' },
  ],
  [
    'multiprocessing.pool.Pool',
    { kind: 'pool', startsOnConstruction: true, enterReturnsSelf: true, contextKeyword: 'context' },
  ],
  [
    'multiprocessing.managers.BaseManager',
    { kind: 'manager', startsOnConstruction: false, enterReturnsSelf: true, contextKeyword: 'ctx' },
  ],
  [
    'multiprocessing.managers.SyncManager',
    { kind: 'manager', startsOnConstruction: false, enterReturnsSelf: true, contextKeyword: 'ctx' },
  ],
  [
    'multiprocessing.managers.SharedMemoryManager',
    { kind: 'manager', startsOnConstruction: false, enterReturnsSelf: true, contextKeyword: 'ctx' },
  ],
  [
    'concurrent.futures.ProcessPoolExecutor',
    { kind: 'executor', startsOnConstruction: true, enterReturnsSelf: true, contextKeyword: 'mp_context' },
  ],
]);

export interface ProcessFactoryInfo {
  /** The canonical class of what the call returns (a key of PROCESS_CLASSES). */
  readonly returns: string;
  /** The call itself starts processes (`multiprocessing.Manager()` starts its server). */
  readonly starts: boolean;
}

/** Functions (context methods) that return process objects. */
export const PROCESS_FACTORIES: ReadonlyMap<string, ProcessFactoryInfo> = new Map<string, ProcessFactoryInfo>([
  ['multiprocessing.Pool', { returns: 'multiprocessing.pool.Pool', starts: true }],
  ['multiprocessing.Manager', { returns: 'multiprocessing.managers.SyncManager', starts: true }],
]);

/** `multiprocessing.get_context(method)` returns a context object. */
export const GET_CONTEXT = 'multiprocessing.get_context';

/**
 * Names a context object shares with the `multiprocessing` module (its `__all__`, which is
 * BaseContext's public API);
 * `ctx.Pool` means `multiprocessing.Pool` bound to that context's start method.
 */
export const CONTEXT_MEMBERS: ReadonlySet<string> = new Set([
  'Array',
  'AuthenticationError',
  'BufferTooShort',
  'ProcessError',
  'TimeoutError',
  'Barrier',
  'BoundedSemaphore',
  'Condition',
  'Event',
  'JoinableQueue',
  'Lock',
  'Manager',
  'Pipe',
  'Pool',
  'Process',
  'Queue',
  'RLock',
  'RawArray',
  'RawValue',
  'Semaphore',
  'SimpleQueue',
  'Value',
  'active_children',
  'allow_connection_pickling',
  'cpu_count',
  'current_process',
  'freeze_support',
  'get_all_start_methods',
  'get_context',
  'get_logger',
  'get_start_method',
  'log_to_stderr',
  'parent_process',
  'reducer',
  'set_executable',
  'set_forkserver_preload',
  'set_start_method',
]);

/** Other spellings of the same objects, mapped to the canonical names used above. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['multiprocessing.context.Process', 'multiprocessing.Process'],
  ['multiprocessing.context.BaseContext.Process', 'multiprocessing.Process'],
  ['concurrent.futures.process.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
  ['multiprocessing.shared_memory.SharedMemoryManager', 'multiprocessing.managers.SharedMemoryManager'],
]);

export function canonicalName(qualifiedName: string): string {
  return ALIASES.get(qualifiedName) ?? qualifiedName;
}

/**
 * What `from <module> import *` binds, for the modules whose `__all__` matters here. Star
 * imports from any other module make every otherwise-unbound name unknowable.
 */
export const STAR_EXPORTS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['multiprocessing', CONTEXT_MEMBERS],
  ['multiprocessing.pool', new Set(['Pool', 'ThreadPool'])],
  ['multiprocessing.managers', new Set(['BaseManager', 'SyncManager', 'BaseProxy', 'Token', 'SharedMemoryManager'])],
  [
    'concurrent.futures',
    new Set([
      'FIRST_COMPLETED',
      'FIRST_EXCEPTION',
      'ALL_COMPLETED',
      'CancelledError',
      'TimeoutError',
      'InvalidStateError',
      'BrokenExecutor',
      'Future',
      'Executor',
      'wait',
      'as_completed',
      'ProcessPoolExecutor',
      'ThreadPoolExecutor',
    ]),
  ],
]);

/** A start-method argument as written: a string literal, or nothing for the default. */
export function startMethodFromLiteral(value: string | undefined): StartMethod {
  if (value === 'fork' || value === 'spawn' || value === 'forkserver') return value;
  return 'unknown';
}
