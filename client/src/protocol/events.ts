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
}

export interface ProcessStarted extends Envelope {
  readonly kind: 'process.started';
  readonly proc: string;
  readonly child_pid: number;
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
];
