// The model's state as plain, JSON-compatible objects: what `snapshot()` returns, what the
// views render, and what tests compare. Times are seconds since the epoch, as in the events.
import type { ExceptionInfo, ExitReporter, Role, Site, StartMethod } from '../protocol/events';
import type { OsObservation } from './osSnapshot';
import type { PipeSnapshot } from './pipes';
import type { PoolSnapshot } from './pools';
import type { QueueSnapshot } from './queues';
import type { ProcessStacksSnapshot } from './sessionObjects';
import type { ManagerSnapshot, SharedSnapshot } from './sharedState';
import type { SyncSnapshot } from './syncs';
import type { WorkerTasksSnapshot } from './tasks';
import type { WaitSnapshot } from './waits';

export type { ExceptionInfo, ExitReporter, Role, Site, StartMethod };
export type { OsObservation };
export type { PoolSnapshot, PoolState, SubmissionSnapshot } from './pools';
export type { ProcessStacksSnapshot } from './sessionObjects';
export type { StackDumpSnapshot } from './stackDumps';
export type { TaskCountsSnapshot, TaskSnapshot, WorkerTasksSnapshot } from './tasks';
export type { LeftoverSnapshot, QueueSnapshot, QueueUseSnapshot } from './queues';
export type { PipeSnapshot, PipeUseSnapshot } from './pipes';
export type { SyncSnapshot } from './syncs';
export type { ManagerSnapshot, SharedSnapshot } from './sharedState';
export type { WaitSnapshot } from './waits';

/**
 * Where a process is in its life, as far as the collector knows.
 * - starting: its parent started it; it has not said hello yet
 * - running: it said hello and no exit record arrived yet
 * - exited: ended with code 0 (or an unknown code and no error)
 * - failed: ended with a non-zero code or with an exception
 * - killed: ended by a signal
 * - lost: its stream closed, or it vanished from the OS process list, and nobody reported how
 *   it ended
 * - zombie: the OS lists it as ended but not yet reaped by its parent (whatever its exit record)
 * - orphan: still running although its parent has ended
 */
export type ProcessState = 'starting' | 'running' | 'exited' | 'failed' | 'killed' | 'lost' | 'zombie' | 'orphan';

export const PROCESS_STATES: readonly ProcessState[] = ['starting', 'running', 'exited', 'failed', 'killed', 'lost', 'zombie', 'orphan'];

/** How a session came to be: a "Run Python File" terminal, a debug session, or a saved file. */
export type SessionKind = 'run' | 'debug' | 'replay';

/** The one exit record the model keeps per process, merged from every reporter. */
export interface ExitSnapshot {
  /** multiprocessing's convention: negative = killed by that signal; null = unknown. */
  readonly exitcode: number | null;
  /** Signal name (e.g. SIGKILL), reported or derived from a negative exit code. */
  readonly signal: string | null;
  /** The exception `run()` raised, as the process itself reported it. */
  readonly exception: ExceptionInfo | null;
  /**
   * Who contributed to this record: self, parent, launcher (the collector only when nobody else
   * spoke: a vanished stream or process, or mpscope's own kill of a survivor).
   */
  readonly reporters: readonly ExitReporter[];
  /** When the process ended (earliest report). */
  readonly t: number;
}

/** A parent's terminate() or kill() of this process. */
export interface SignalRequest {
  readonly method: 'terminate' | 'kill';
  readonly signal: string;
  readonly byPid: number;
  readonly t: number;
}

/** The last join() a parent did on this process. */
export interface JoinInfo {
  readonly byPid: number;
  /** Seconds join() blocked. */
  readonly waited: number;
  readonly timeout: number | null;
  /** True when join() returned on its timeout with the process still alive. */
  readonly alive: boolean;
  readonly t: number;
}

/** What the process said about itself in its hello. */
export interface InterpreterInfo {
  readonly python: string;
  readonly runtime: string;
  readonly executable: string | null;
  readonly argv: readonly string[] | null;
  readonly cwd: string | null;
  readonly platform: string | null;
}

export interface RuntimeErrorInfo {
  readonly where: string;
  readonly message: string;
  readonly t: number;
}

export interface ProcessSnapshot {
  /** Unique within the session: the pid, or `pid#n` when the OS reused a pid in the same run. */
  readonly key: string;
  readonly pid: number;
  /** Key of the parent in the tree; null for a root of the session. */
  readonly parentKey: string | null;
  /** The process that called start() (for forkserver children this is not the OS parent). */
  readonly logicalParentPid: number | null;
  /** The OS parent, from the process's hello. */
  readonly osParentPid: number | null;
  /** Id of the Process object (`<creator pid>-<n>`), when a parent reported creating it. */
  readonly proc: string | null;
  readonly name: string;
  readonly role: Role | null;
  readonly startMethod: StartMethod | null;
  /** Qualified name of the target function (or of the subclass's run()). */
  readonly target: string | null;
  readonly className: string | null;
  readonly daemon: boolean | null;
  /** Bounded repr of the arguments, when the runtime captured them. */
  readonly args: string | null;
  /** Where the user's code created the Process. */
  readonly site: Site | null;
  /** For a pool or executor worker: the id of its pool (see PoolSnapshot). */
  readonly pool: string | null;
  /** A worker started to replace one that exited while its pool was running. */
  readonly replacement: boolean;
  readonly state: ProcessState;
  /** True while the process's event stream is open. */
  readonly connected: boolean;
  /**
   * Its parent started it quiet: it runs without a stream of its own until it has an event to
   * send (then it says hello and this turns false); its parent reports its exit.
   */
  readonly quiet: boolean;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly exit: ExitSnapshot | null;
  readonly signalled: SignalRequest | null;
  readonly joined: JoinInfo | null;
  /** Process.close() was called on it. */
  readonly closed: boolean;
  readonly interpreter: InterpreterInfo | null;
  readonly runtimeErrors: readonly RuntimeErrorInfo[];
  /** Found in the OS process list only: the runtime never spoke of it (e.g. a non-Python child). */
  readonly external: boolean;
  /** Its parent in the tree ended while it was still running. */
  readonly orphaned: boolean;
  /** What the OS process list last said about it; null when no snapshot has listed it. */
  readonly os: OsObservation | null;
}

export interface SessionSnapshot {
  readonly id: string;
  readonly label: string;
  readonly kind: SessionKind;
  readonly startedAt: number;
  /** When the session ended (its launcher's stream closed, or its debug session stopped). */
  readonly endedAt: number | null;
  /** The `python -m mpscope run` launcher, which is not shown as a process. */
  readonly launcherPid: number | null;
  /** A debug session's debuggee (its main process), as the debug adapter reported it. */
  readonly debuggeePid: number | null;
  /** Every process, in order of first appearance. */
  readonly processes: readonly ProcessSnapshot[];
  /** Events the model applied. */
  readonly events: number;
  /** Events that referred to something the model could not place (counted, not applied). */
  readonly ignoredEvents: number;
  /** Runtime errors reported by streams that are not processes of the tree (the launcher). */
  readonly runtimeErrors: readonly RuntimeErrorInfo[];
  /** Keys of processes the OS still listed alive after the session ended (empty while it runs). */
  readonly survivors: readonly string[];
  /** Process pools and executors, in order of first mention. */
  readonly pools: readonly PoolSnapshot[];
  /** Per worker that reported tasks: counts, failed, slowest and recent tasks. */
  readonly tasks: readonly WorkerTasksSnapshot[];
  /** Per process that can be asked for its stacks or answered: how, and its latest dumps. */
  readonly stacks: readonly ProcessStacksSnapshot[];
  /** Queues created in user code, with what every process put and took. */
  readonly queues: readonly QueueSnapshot[];
  readonly pipes: readonly PipeSnapshot[];
  /** Locks, semaphores, conditions, events and barriers, with their long waits. */
  readonly syncs: readonly SyncSnapshot[];
  readonly managers: readonly ManagerSnapshot[];
  /** Shared ctypes objects, shared_memory blocks and Manager-held objects. */
  readonly shared: readonly SharedSnapshot[];
  /** Per process that waited long: its latest long waits. */
  readonly waits: ReadonlyArray<{ readonly key: string; readonly waits: readonly WaitSnapshot[] }>;
}
