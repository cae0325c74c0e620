// Short documentation of the multiprocessing and concurrent.futures APIs, shown when the user
// hovers over a name that resolves to one of them. Keyed by the canonical qualified name the
// resolver produces; methods are keyed `<class>.<method>`. Each entry: the signature, what it
// does in a sentence or two, and the pitfall mpscope checks for, when there is one.

export interface ApiDoc {
  readonly signature: string;
  readonly text: string;
  /** Page and anchor in the Python documentation. */
  readonly reference: string;
}

const MP = 'https://docs.python.org/3/library/multiprocessing.html';
const MP_SHM = 'https://docs.python.org/3/library/multiprocessing.shared_memory.html';
const CF = 'https://docs.python.org/3/library/concurrent.futures.html';

function doc(signature: string, text: string, reference: string): ApiDoc {
  return { signature, text, reference };
}

const ENTRIES: readonly (readonly [string, ApiDoc])[] = [
  // --- processes ------------------------------------------------------------------------------
  [
    'multiprocessing.Process',
    doc(
      'Process(group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None)',
      'A child process that runs `target(*args, **kwargs)` once `start()` is called. Pass the function itself (`target=f`), not its result, and `args` as a tuple (MP004, MP005, MP006). Start processes under `if __name__ == "__main__":` (MP001).',
      `${MP}#multiprocessing.Process`,
    ),
  ],
  ['multiprocessing.Process.start', doc('start()', 'Starts the child process; it then calls `run()` there. A process can be started only once (MP010).', `${MP}#multiprocessing.Process.start`)],
  ['multiprocessing.Process.run', doc('run()', 'The code the child runs: calls `target`. Calling `run()` yourself runs it in the *current* process; call `start()` instead (MP011).', `${MP}#multiprocessing.Process.run`)],
  [
    'multiprocessing.Process.join',
    doc('join(timeout=None)', 'Waits until the process ends (or `timeout` seconds pass). Only a started process can be joined (MP010). Drain any queue the child fills first, or the join can deadlock (MP012).', `${MP}#multiprocessing.Process.join`),
  ],
  ['multiprocessing.Process.terminate', doc('terminate()', 'Stops the process with SIGTERM (TerminateProcess on Windows); `finally` blocks and exit handlers do not run. Queues, pipes and locks it was using may be left broken (MP020).', `${MP}#multiprocessing.Process.terminate`)],
  ['multiprocessing.Process.kill', doc('kill()', 'Like `terminate()`, with SIGKILL on POSIX (MP020).', `${MP}#multiprocessing.Process.kill`)],
  ['multiprocessing.Process.close', doc('close()', 'Releases the process object\'s resources; raises `ValueError` if the process is still running. Most other methods fail afterwards.', `${MP}#multiprocessing.Process.close`)],
  ['multiprocessing.Process.is_alive', doc('is_alive()', 'Whether the process has started and not yet ended.', `${MP}#multiprocessing.Process.is_alive`)],
  ['multiprocessing.Process.daemon', doc('daemon: bool', 'A daemon child is terminated when its parent exits, and may not create children of its own (MP015). Set it before `start()` (MP010).', `${MP}#multiprocessing.Process.daemon`)],
  ['multiprocessing.Process.exitcode', doc('exitcode: int | None', '`None` while running; 0 after a normal exit, 1 if `run()` raised, `-N` when killed by signal N.', `${MP}#multiprocessing.Process.exitcode`)],
  ['multiprocessing.Process.pid', doc('pid: int | None', 'The child\'s process id, once started.', `${MP}#multiprocessing.Process.pid`)],
  ['multiprocessing.Process.name', doc('name: str', 'A label for logs and the process tree; not unique.', `${MP}#multiprocessing.Process.name`)],

  // --- pools ----------------------------------------------------------------------------------
  [
    'multiprocessing.pool.Pool',
    doc(
      'Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None)',
      'Worker processes (`os.cpu_count()` by default) that run the tasks you submit with `map`, `imap`, `apply_async`…; tasks and their arguments are pickled (MP003, MP007, MP018). Use it in a `with` block, or `close()` then `join()` (MP002, MP013). `processes` must be at least 1 (MP021).',
      `${MP}#multiprocessing.pool.Pool`,
    ),
  ],
  ['multiprocessing.pool.Pool.apply', doc('apply(func, args=(), kwds={})', 'Runs `func(*args, **kwds)` in a worker and waits for the result.', `${MP}#multiprocessing.pool.Pool.apply`)],
  [
    'multiprocessing.pool.Pool.apply_async',
    doc('apply_async(func, args=(), kwds={}, callback=None, error_callback=None)', 'Submits one task and returns an `AsyncResult`. If nobody calls `.get()` and there is no `error_callback`, an exception in the worker is lost silently (MP014).', `${MP}#multiprocessing.pool.Pool.apply_async`),
  ],
  ['multiprocessing.pool.Pool.map', doc('map(func, iterable, chunksize=None)', 'Calls `func(item)` for each item in the workers and returns the results in order; blocks until all are done. `func` must be picklable: a module-level function, not a lambda or nested function (MP007).', `${MP}#multiprocessing.pool.Pool.map`)],
  ['multiprocessing.pool.Pool.map_async', doc('map_async(func, iterable, chunksize=None, callback=None, error_callback=None)', 'Like `map`, returning an `AsyncResult` (MP014).', `${MP}#multiprocessing.pool.Pool.map_async`)],
  ['multiprocessing.pool.Pool.imap', doc('imap(func, iterable, chunksize=1)', 'A lazier `map`: yields results in order as they arrive. A larger `chunksize` helps with many small tasks.', `${MP}#multiprocessing.pool.Pool.imap`)],
  ['multiprocessing.pool.Pool.imap_unordered', doc('imap_unordered(func, iterable, chunksize=1)', 'Like `imap`, yielding results in the order they finish.', `${MP}#multiprocessing.pool.Pool.imap_unordered`)],
  ['multiprocessing.pool.Pool.starmap', doc('starmap(func, iterable, chunksize=None)', 'Like `map`, unpacking each item as arguments: `func(*item)`.', `${MP}#multiprocessing.pool.Pool.starmap`)],
  ['multiprocessing.pool.Pool.starmap_async', doc('starmap_async(func, iterable, chunksize=None, callback=None, error_callback=None)', 'Like `starmap`, returning an `AsyncResult` (MP014).', `${MP}#multiprocessing.pool.Pool.starmap_async`)],
  ['multiprocessing.pool.Pool.close', doc('close()', 'No more tasks will be submitted; workers exit once the queued tasks are done. Call it before `join()` (MP002). Using the pool afterwards raises `ValueError: Pool not running` (MP009).', `${MP}#multiprocessing.pool.Pool.close`)],
  ['multiprocessing.pool.Pool.terminate', doc('terminate()', 'Stops the workers at once, dropping unfinished tasks. Leaving a `with Pool()` block calls this (MP009).', `${MP}#multiprocessing.pool.Pool.terminate`)],
  ['multiprocessing.pool.Pool.join', doc('join()', 'Waits for the workers to exit. Call `close()` or `terminate()` first, or it raises `ValueError: Pool is still running` (MP002).', `${MP}#multiprocessing.pool.Pool.join`)],
  ['multiprocessing.pool.ThreadPool', doc('ThreadPool(processes=None, initializer=None, initargs=())', 'The `Pool` API backed by threads of this process: nothing is pickled and no child processes are created.', `${MP}#multiprocessing.pool.ThreadPool`)],

  // --- queues and pipes -----------------------------------------------------------------------
  [
    'multiprocessing.Queue',
    doc('Queue(maxsize=0)', 'A process-safe FIFO queue backed by a pipe and a feeder thread; items are pickled. Share it with children by passing it to `Process(args=…)` or a Pool `initializer`, not as a Pool task argument (MP003). Drain it before joining the producer (MP012).', `${MP}#multiprocessing.Queue`),
  ],
  ['multiprocessing.Queue.put', doc('put(obj, block=True, timeout=None)', 'Adds an item (pickled by a background thread, so errors can surface later).', `${MP}#multiprocessing.Queue.put`)],
  ['multiprocessing.Queue.get', doc('get(block=True, timeout=None)', 'Removes and returns an item, waiting if necessary; raises `queue.Empty` after `timeout`.', `${MP}#multiprocessing.Queue.get`)],
  ['multiprocessing.Queue.put_nowait', doc('put_nowait(obj)', 'Same as `put(obj, False)`.', `${MP}#multiprocessing.Queue.put_nowait`)],
  ['multiprocessing.Queue.get_nowait', doc('get_nowait()', 'Same as `get(False)`.', `${MP}#multiprocessing.Queue.get_nowait`)],
  ['multiprocessing.Queue.qsize', doc('qsize()', 'Approximate size; raises `NotImplementedError` on macOS.', `${MP}#multiprocessing.Queue.qsize`)],
  ['multiprocessing.Queue.empty', doc('empty()', 'Approximate: another process may add or remove an item right after.', `${MP}#multiprocessing.Queue.empty`)],
  ['multiprocessing.Queue.full', doc('full()', 'Approximate, like `empty()`.', `${MP}#multiprocessing.Queue.full`)],
  ['multiprocessing.Queue.close', doc('close()', 'This process will put no more data; the feeder thread flushes and exits.', `${MP}#multiprocessing.Queue.close`)],
  ['multiprocessing.Queue.join_thread', doc('join_thread()', 'Waits for the feeder thread after `close()`; a process that put items waits here at exit until they are flushed.', `${MP}#multiprocessing.Queue.join_thread`)],
  ['multiprocessing.Queue.cancel_join_thread', doc('cancel_join_thread()', 'Lets the process exit without flushing buffered items (they may be lost).', `${MP}#multiprocessing.Queue.cancel_join_thread`)],
  ['multiprocessing.JoinableQueue', doc('JoinableQueue(maxsize=0)', 'A `Queue` whose consumers call `task_done()` for each item and whose producers can `join()` until every item was processed.', `${MP}#multiprocessing.JoinableQueue`)],
  ['multiprocessing.JoinableQueue.task_done', doc('task_done()', 'Marks one item taken with `get()` as processed.', `${MP}#multiprocessing.JoinableQueue.task_done`)],
  ['multiprocessing.JoinableQueue.join', doc('join()', 'Blocks until every item put in the queue has been marked with `task_done()`.', `${MP}#multiprocessing.JoinableQueue.join`)],
  ['multiprocessing.SimpleQueue', doc('SimpleQueue()', 'A simpler queue without a feeder thread: `put`, `get`, `empty`, `close`. Same sharing rules as `Queue` (MP003).', `${MP}#multiprocessing.SimpleQueue`)],
  ['multiprocessing.Pipe', doc('Pipe(duplex=True) -> (Connection, Connection)', 'Two connected ends; `send()`/`recv()` pickled objects. Faster than a queue for one producer and one consumer. Data is corrupted if two processes use the same end at once.', `${MP}#multiprocessing.Pipe`)],

  // --- synchronisation and shared state -------------------------------------------------------
  ['multiprocessing.Lock', doc('Lock()', 'A non-recursive lock usable across processes. Share it through `Process` arguments or a Pool `initializer` (MP003). A process terminated while holding it leaves it locked (MP020).', `${MP}#multiprocessing.Lock`)],
  ['multiprocessing.RLock', doc('RLock()', 'A recursive lock: the owner may acquire it again. Same sharing rules as `Lock` (MP003).', `${MP}#multiprocessing.RLock`)],
  ['multiprocessing.Semaphore', doc('Semaphore(value=1)', 'A counter-based lock across processes (MP003).', `${MP}#multiprocessing.Semaphore`)],
  ['multiprocessing.BoundedSemaphore', doc('BoundedSemaphore(value=1)', 'A semaphore that refuses to be released above its initial value (MP003).', `${MP}#multiprocessing.BoundedSemaphore`)],
  ['multiprocessing.Event', doc('Event()', 'A flag processes can `set()`, `clear()` and `wait()` for (MP003).', `${MP}#multiprocessing.Event`)],
  ['multiprocessing.Condition', doc('Condition(lock=None)', 'A condition variable across processes (MP003).', `${MP}#multiprocessing.Condition`)],
  ['multiprocessing.Barrier', doc('Barrier(parties, action=None, timeout=None)', 'Blocks until `parties` processes have called `wait()` (MP003).', `${MP}#multiprocessing.Barrier`)],
  ['multiprocessing.Value', doc("Value(typecode_or_type, *args, lock=True)", 'A single C value in shared memory (`Value("i", 0)`), with a lock by default: `with v.get_lock(): v.value += 1`. Not a Pool task argument (MP003).', `${MP}#multiprocessing.Value`)],
  ['multiprocessing.Array', doc('Array(typecode_or_type, size_or_initializer, *, lock=True)', 'A fixed-size C array in shared memory, with a lock by default (MP003).', `${MP}#multiprocessing.Array`)],
  ['multiprocessing.RawValue', doc('RawValue(typecode_or_type, *args)', 'A shared C value without a lock.', `${MP}#multiprocessing.sharedctypes.RawValue`)],
  ['multiprocessing.RawArray', doc('RawArray(typecode_or_type, size_or_initializer)', 'A shared C array without a lock.', `${MP}#multiprocessing.sharedctypes.RawArray`)],

  // --- managers -------------------------------------------------------------------------------
  [
    'multiprocessing.Manager',
    doc('Manager() -> SyncManager', 'Starts a server process holding shared Python objects (`dict`, `list`, `Queue`, `Lock`…) and returns proxies to them. Proxies can be Pool task arguments. Mutating a value nested in a proxy (`d["k"].append(x)`) is lost: read, modify and assign back (MP016).', `${MP}#multiprocessing.Manager`),
  ],
  ['multiprocessing.managers.SyncManager', doc('SyncManager(address=None, authkey=None, ctx=None)', 'The manager `multiprocessing.Manager()` returns: its server process starts with `start()` or a `with` block (MP001).', `${MP}#multiprocessing.managers.SyncManager`)],
  ['multiprocessing.managers.BaseManager', doc('BaseManager(address=None, authkey=None, serializer="pickle", ctx=None)', 'Base class for managers of your own registered types; `start()` launches the server process.', `${MP}#multiprocessing.managers.BaseManager`)],
  ['multiprocessing.managers.SharedMemoryManager', doc('SharedMemoryManager(address=None, authkey=None)', 'A manager that creates `SharedMemory` blocks and `ShareableList`s and frees them on `shutdown()`.', `${MP_SHM}#multiprocessing.managers.SharedMemoryManager`)],
  ['multiprocessing.shared_memory.SharedMemory', doc('SharedMemory(name=None, create=False, size=0)', 'A block of shared memory other processes attach to by `name`. Call `close()` in every process and `unlink()` once.', `${MP_SHM}#multiprocessing.shared_memory.SharedMemory`)],

  // --- module functions -----------------------------------------------------------------------
  [
    'multiprocessing.get_context',
    doc('get_context(method=None)', 'A context object with the same API as the module (`ctx.Process`, `ctx.Pool`, `ctx.Queue`…) bound to one start method: "fork", "spawn" or "forkserver". Prefer it to `set_start_method` in libraries.', `${MP}#multiprocessing.get_context`),
  ],
  [
    'multiprocessing.set_start_method',
    doc('set_start_method(method, force=False)', 'Sets the start method for the whole program, once: a second call raises `RuntimeError: context has already been set` unless `force=True`. Call it under `if __name__ == "__main__":` (MP008).', `${MP}#multiprocessing.set_start_method`),
  ],
  ['multiprocessing.get_start_method', doc('get_start_method(allow_none=False)', 'The start method in use. Defaults: spawn on Windows and macOS, fork on Linux up to 3.13, forkserver from 3.14.', `${MP}#multiprocessing.get_start_method`)],
  ['multiprocessing.get_all_start_methods', doc('get_all_start_methods()', 'The start methods this platform supports, the default first.', `${MP}#multiprocessing.get_all_start_methods`)],
  ['multiprocessing.cpu_count', doc('cpu_count()', 'Number of CPUs in the system (not the ones this process may use: see `os.process_cpu_count()` on 3.13+).', `${MP}#multiprocessing.cpu_count`)],
  ['multiprocessing.current_process', doc('current_process()', 'The `Process` object of the running process.', `${MP}#multiprocessing.current_process`)],
  ['multiprocessing.parent_process', doc('parent_process()', 'The parent\'s `Process` object, or `None` in the main process.', `${MP}#multiprocessing.parent_process`)],
  ['multiprocessing.active_children', doc('active_children()', 'The live children of this process (and joins finished ones as a side effect).', `${MP}#multiprocessing.active_children`)],
  ['multiprocessing.freeze_support', doc('freeze_support()', 'Needed first thing under `if __name__ == "__main__":` in programs frozen into a Windows executable; does nothing otherwise.', `${MP}#multiprocessing.freeze_support`)],
  ['multiprocessing.set_executable', doc('set_executable(executable)', 'The Python interpreter spawn uses for children.', `${MP}#multiprocessing.set_executable`)],
  ['multiprocessing.set_forkserver_preload', doc('set_forkserver_preload(module_names)', 'Modules the fork server imports once, so forkserver children start faster.', `${MP}#multiprocessing.set_forkserver_preload`)],
  ['multiprocessing.log_to_stderr', doc('log_to_stderr(level=None)', "Sends multiprocessing's own log messages to stderr, useful to see why a child hangs or dies.", `${MP}#multiprocessing.log_to_stderr`)],
  ['multiprocessing.get_logger', doc('get_logger()', "multiprocessing's logger (no handler by default).", `${MP}#multiprocessing.get_logger`)],

  // --- concurrent.futures ---------------------------------------------------------------------
  [
    'concurrent.futures.ProcessPoolExecutor',
    doc('ProcessPoolExecutor(max_workers=None, mp_context=None, initializer=None, initargs=(), max_tasks_per_child=None)', 'An executor backed by worker processes; `submit()` returns a `Future`. Tasks are pickled (MP003, MP007). Use it in a `with` block or call `shutdown()` (MP013). On Windows `max_workers` must be ≤ 61 (MP021).', `${CF}#concurrent.futures.ProcessPoolExecutor`),
  ],
  ['concurrent.futures.ProcessPoolExecutor.submit', doc('submit(fn, /, *args, **kwargs) -> Future', 'Schedules `fn(*args, **kwargs)`. Keep the `Future`: an exception in the worker is only seen through `result()` or `exception()` (MP014).', `${CF}#concurrent.futures.Executor.submit`)],
  ['concurrent.futures.ProcessPoolExecutor.map', doc('map(fn, *iterables, timeout=None, chunksize=1)', 'Like the built-in `map`, run in the workers; results come back in order, exceptions are raised when their result is reached.', `${CF}#concurrent.futures.Executor.map`)],
  ['concurrent.futures.ProcessPoolExecutor.shutdown', doc('shutdown(wait=True, *, cancel_futures=False)', 'Frees the workers once pending futures are done; no more `submit()` afterwards. A `with` block calls it.', `${CF}#concurrent.futures.Executor.shutdown`)],
  ['concurrent.futures.ThreadPoolExecutor', doc('ThreadPoolExecutor(max_workers=None, thread_name_prefix="", initializer=None, initargs=())', 'An executor backed by threads of this process: nothing is pickled and no child processes are created.', `${CF}#concurrent.futures.ThreadPoolExecutor`)],
  ['concurrent.futures.as_completed', doc('as_completed(fs, timeout=None)', 'Yields the futures as they finish.', `${CF}#concurrent.futures.as_completed`)],
  ['concurrent.futures.wait', doc('wait(fs, timeout=None, return_when=ALL_COMPLETED)', 'Waits for futures; returns the `(done, not_done)` sets.', `${CF}#concurrent.futures.wait`)],
];

/** Other spellings of the same class or function, to their documented key. */
const SAME_AS: ReadonlyMap<string, string> = new Map([
  ['multiprocessing.Pool', 'multiprocessing.pool.Pool'],
  ['multiprocessing.context.Process', 'multiprocessing.Process'],
  ['multiprocessing.process.BaseProcess', 'multiprocessing.Process'],
  ['multiprocessing.context.ForkProcess', 'multiprocessing.Process'],
  ['multiprocessing.context.SpawnProcess', 'multiprocessing.Process'],
  ['multiprocessing.context.ForkServerProcess', 'multiprocessing.Process'],
  ['multiprocessing.queues.Queue', 'multiprocessing.Queue'],
  ['multiprocessing.queues.JoinableQueue', 'multiprocessing.JoinableQueue'],
  ['multiprocessing.queues.SimpleQueue', 'multiprocessing.SimpleQueue'],
  ['multiprocessing.synchronize.Lock', 'multiprocessing.Lock'],
  ['multiprocessing.synchronize.RLock', 'multiprocessing.RLock'],
  ['multiprocessing.synchronize.Semaphore', 'multiprocessing.Semaphore'],
  ['multiprocessing.synchronize.BoundedSemaphore', 'multiprocessing.BoundedSemaphore'],
  ['multiprocessing.synchronize.Event', 'multiprocessing.Event'],
  ['multiprocessing.synchronize.Condition', 'multiprocessing.Condition'],
  ['multiprocessing.synchronize.Barrier', 'multiprocessing.Barrier'],
  ['multiprocessing.sharedctypes.Value', 'multiprocessing.Value'],
  ['multiprocessing.sharedctypes.Array', 'multiprocessing.Array'],
  ['multiprocessing.sharedctypes.RawValue', 'multiprocessing.RawValue'],
  ['multiprocessing.sharedctypes.RawArray', 'multiprocessing.RawArray'],
  ['multiprocessing.context.BaseContext.get_context', 'multiprocessing.get_context'],
  ['multiprocessing.dummy.Pool', 'multiprocessing.pool.ThreadPool'],
  ['concurrent.futures.process.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
  ['concurrent.futures.thread.ThreadPoolExecutor', 'concurrent.futures.ThreadPoolExecutor'],
]);

/** Classes whose methods are documented under another class's key. */
const METHODS_FROM: ReadonlyMap<string, string> = new Map([
  ['multiprocessing.JoinableQueue', 'multiprocessing.Queue'],
  ['multiprocessing.pool.ThreadPool', 'multiprocessing.pool.Pool'],
  ['concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
]);

const DOCS: ReadonlyMap<string, ApiDoc> = new Map(ENTRIES);

/** The canonical key for a qualified name, following the alias table. */
export function apiKey(qualifiedName: string): string {
  return SAME_AS.get(qualifiedName) ?? qualifiedName;
}

export function apiDoc(qualifiedName: string): ApiDoc | undefined {
  return DOCS.get(apiKey(qualifiedName));
}

/** The documentation of method `name` of the class `className` (a qualified name), if known. */
export function methodDoc(className: string, name: string): { readonly key: string; readonly doc: ApiDoc } | undefined {
  for (let owner: string | undefined = apiKey(className); owner !== undefined; owner = METHODS_FROM.get(owner)) {
    const key = `${owner}.${name}`;
    const found = DOCS.get(key);
    if (found) return { key, doc: found };
  }
  return undefined;
}

/** Every documented key (tests check each one renders). */
export function documentedApiKeys(): string[] {
  return [...DOCS.keys()];
}

/** What calling these returns, when it is not an instance of the callee itself. */
const CALL_RETURNS: ReadonlyMap<string, string | undefined> = new Map([
  ['multiprocessing.Manager', 'multiprocessing.managers.SyncManager'],
  ['multiprocessing.Pipe', undefined],
]);

/**
 * The documented class whose instance calling `qualifiedName` returns (`Pool(...)` → Pool,
 * `Manager()` → SyncManager), or undefined for functions and unknown names.
 */
export function classOfCallResult(qualifiedName: string): string | undefined {
  const key = apiKey(qualifiedName);
  if (CALL_RETURNS.has(key)) return CALL_RETURNS.get(key);
  if (!DOCS.has(key)) return undefined;
  const last = key.slice(key.lastIndexOf('.') + 1);
  return /^[A-Z]/.test(last) ? key : undefined;
}
