// Builders for protocol events with realistic defaults, typed by the client's event types (so a
// field the types do not know fails to compile) and checked against the schema by the tests
// that use them (so a builder the schema rejects fails at run time).
import type {
  ExceptionInfo,
  Hello,
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
