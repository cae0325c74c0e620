// Builders for protocol events with realistic defaults, typed by the client's event types (so a
// field the types do not know fails to compile) and checked against the schema by the tests
// that use them (so a builder the schema rejects fails at run time).
import type {
  ExceptionInfo,
  Hello,
  ManagerCreated,
  PipeBlocked,
  PipeCounters,
  PipeCreated,
  QueueBlocked,
  QueueCounters,
  QueueCreated,
  QueueLeftover,
  SharedCreated,
  SyncCreated,
  SyncWait,
  PoolClosed,
  PoolCreated,
  PoolJoined,
  PoolTerminated,
  Stacks,
  TaskCounters,
  TaskFinished,
  TaskSubmitted,
  ThreadStack,
  ProcessClosed,
  ProcessCreated,
  ProcessExited,
  ProcessJoined,
  ProcessSignalled,
  ProcessStarted,
  Role,
  RuntimeError,
  StartMethod,
} from '../../../src/protocol/events';

export const TOKEN = 'a'.repeat(64);

type Overrides<T> = Partial<Omit<T, 'kind' | 'v'>>;

export function hello(pid: number, ppid: number, role: Role, more: Overrides<Hello> = {}): Hello {
  return {
    v: 1,
    kind: 'hello',
    t: 1000,
    pid,
    token: TOKEN,
    ppid,
    role,
    python: '3.11.7',
    runtime: '0.1.0',
    ...more,
  };
}

export function created(
  pid: number,
  proc: string,
  more: Overrides<ProcessCreated> & { start_method?: StartMethod; role?: Role } = {},
): ProcessCreated {
  return {
    v: 1,
    kind: 'process.created',
    t: 1001,
    pid,
    proc,
    name: `Process-${proc}`,
    start_method: 'fork',
    role: 'process',
    ...more,
  };
}

export function started(pid: number, proc: string, childPid: number, more: Overrides<ProcessStarted> = {}): ProcessStarted {
  return { v: 1, kind: 'process.started', t: 1002, pid, proc, child_pid: childPid, ...more };
}

export function exitedSelf(pid: number, exitcode: number | null, exception?: ExceptionInfo, t = 1003): ProcessExited {
  const event: ProcessExited = { v: 1, kind: 'process.exited', t, pid, reporter: 'self', exitcode };
  return exception ? { ...event, exception } : event;
}

export function exitedBy(
  reporter: 'parent' | 'launcher' | 'collector',
  pid: number,
  childPid: number,
  exitcode: number | null,
  signal?: string | null,
  t = 1004,
): ProcessExited {
  const event: ProcessExited = { v: 1, kind: 'process.exited', t, pid, child_pid: childPid, reporter, exitcode };
  return signal === undefined ? event : { ...event, signal };
}

export function joined(pid: number, childPid: number, more: Overrides<ProcessJoined> = {}): ProcessJoined {
  return { v: 1, kind: 'process.joined', t: 1005, pid, child_pid: childPid, waited: 0.5, ...more };
}

export function signalled(pid: number, childPid: number, method: 'terminate' | 'kill' = 'kill'): ProcessSignalled {
  return {
    v: 1,
    kind: 'process.signalled',
    t: 1006,
    pid,
    child_pid: childPid,
    method,
    signal: method === 'kill' ? 'SIGKILL' : 'SIGTERM',
  };
}

export function closed(pid: number, childPid: number): ProcessClosed {
  return { v: 1, kind: 'process.closed', t: 1007, pid, child_pid: childPid };
}

export function runtimeError(pid: number, where = 'hooks.pool', message = 'boom'): RuntimeError {
  return { v: 1, kind: 'runtime.error', t: 1008, pid, where, message };
}

export const valueError: ExceptionInfo = {
  type: 'ValueError',
  message: 'bad input',
  traceback: 'Traceback (most recent call last):\n  File "/w/crash.py", line 5, in work\nValueError: bad input\n',
  site: { file: '/w/crash.py', line: 5, function: 'work' },
};

export function poolCreated(pid: number, pool: string, more: Overrides<PoolCreated> = {}): PoolCreated {
  return { v: 1, kind: 'pool.created', t: 1001, pid, pool, api: 'pool', processes: 2, ...more };
}

export function poolClosed(pid: number, pool: string, more: Overrides<PoolClosed> = {}): PoolClosed {
  return { v: 1, kind: 'pool.closed', t: 1010, pid, pool, ...more };
}

export function poolTerminated(pid: number, pool: string, more: Overrides<PoolTerminated> = {}): PoolTerminated {
  return { v: 1, kind: 'pool.terminated', t: 1011, pid, pool, ...more };
}

export function poolJoined(pid: number, pool: string, more: Overrides<PoolJoined> = {}): PoolJoined {
  return { v: 1, kind: 'pool.joined', t: 1012, pid, pool, ...more };
}

/** A worker of `pool` started by `creator`: its process.created and process.started. */
export function worker(creator: number, pool: string, proc: string, childPid: number, more: Overrides<ProcessCreated> = {}): [ProcessCreated, ProcessStarted] {
  return [
    created(creator, proc, { name: `ForkPoolWorker-${proc}`, role: 'pool-worker', target: 'multiprocessing.pool.worker', pool, ...more }),
    started(creator, proc, childPid),
  ];
}

export function submitted(pid: number, pool: string, more: Overrides<TaskSubmitted> = {}): TaskSubmitted {
  return { v: 1, kind: 'task.submitted', t: 1002, pid, pool, method: 'map', func: 'jobs.square', calls: 1, ...more };
}

export function taskFinished(pid: number, job: number, more: Overrides<TaskFinished> = {}): TaskFinished {
  return { v: 1, kind: 'task.finished', t: 1003, pid, job, func: 'jobs.square', started: 1002.5, duration: 0.25, ok: true, ...more };
}

export function taskCounters(pid: number, done: number, failed: number, more: Overrides<TaskCounters> = {}): TaskCounters {
  return { v: 1, kind: 'task.counters', t: 1003, pid, done, failed, time: 0.5, max: 0.25, ...more };
}

export const blockedMainThread: ThreadStack = {
  ident: 140_000_000_000_001,
  main: true,
  frames: [
    { file: '/usr/lib/python3.11/threading.py', line: 320, function: 'wait' },
    { file: '/w/hang.py', line: 9, function: 'wait_forever' },
    { file: '/w/hang.py', line: 14, function: '<module>' },
  ],
};

export function stacks(pid: number, more: Overrides<Stacks> = {}): Stacks {
  return { v: 1, kind: 'stacks', t: 1020, pid, reporter: 'self', reason: 'request', threads: [blockedMainThread], ...more };
}

export function queueCreated(pid: number, queue: string, more: Overrides<QueueCreated> = {}): QueueCreated {
  return { v: 1, kind: 'queue.created', t: 1001, pid, queue, queue_kind: 'Queue', maxsize: null, ...more };
}

export function queueCounters(pid: number, queue: string, puts: number, gets: number, more: Overrides<QueueCounters> = {}): QueueCounters {
  return { v: 1, kind: 'queue.counters', t: 1005, pid, queue, puts, gets, ...more };
}

export function queueBlocked(pid: number, queue: string, more: Overrides<QueueBlocked> = {}): QueueBlocked {
  return { v: 1, kind: 'queue.blocked', t: 1006, pid, queue, op: 'get', since: 1004, waited: 2, outcome: 'ok', ...more };
}

export function queueLeftover(pid: number, queue: string, backlog: number | null, buffered = 0): QueueLeftover {
  return { v: 1, kind: 'queue.leftover', t: 1009, pid, queue, backlog, buffered };
}

export function pipeCreated(pid: number, pipe: string, ends: [string, string], more: Overrides<PipeCreated> = {}): PipeCreated {
  return { v: 1, kind: 'pipe.created', t: 1001, pid, pipe, duplex: true, ends, ...more };
}

export function pipeCounters(pid: number, conn: string, sends: number, recvs: number): PipeCounters {
  return { v: 1, kind: 'pipe.counters', t: 1005, pid, conn, sends, recvs };
}

export function pipeBlocked(pid: number, conn: string, more: Overrides<PipeBlocked> = {}): PipeBlocked {
  return { v: 1, kind: 'pipe.blocked', t: 1006, pid, conn, op: 'recv', since: 1004, waited: 1.5, ...more };
}

export function syncCreated(pid: number, sync: string, more: Overrides<SyncCreated> = {}): SyncCreated {
  return { v: 1, kind: 'sync.created', t: 1001, pid, sync, sync_kind: 'Lock', ...more };
}

export function syncWait(pid: number, sync: string, more: Overrides<SyncWait> = {}): SyncWait {
  return { v: 1, kind: 'sync.wait', t: 1007, pid, sync, sync_kind: 'Lock', op: 'acquire', since: 1004, waited: 3, outcome: 'ok', ...more };
}

export function managerCreated(pid: number, manager: string, more: Overrides<ManagerCreated> = {}): ManagerCreated {
  return { v: 1, kind: 'manager.created', t: 1001, pid, manager, class: 'multiprocessing.managers.SyncManager', ...more };
}

export function sharedCreated(pid: number, shared: string, more: Overrides<SharedCreated> = {}): SharedCreated {
  return { v: 1, kind: 'shared.created', t: 1001, pid, shared, shared_kind: 'Value', ...more };
}
