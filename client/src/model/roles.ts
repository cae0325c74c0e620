// What a process's role says about it. Helpers are the processes multiprocessing starts for its
// own needs (the resource tracker, the forkserver, a Manager's server): users seldom look at
// them, so views group them out of the way.
import type { Role } from '../protocol/events';

export const HELPER_ROLES: readonly Role[] = ['resource-tracker', 'forkserver', 'manager'];

const HELPERS: ReadonlySet<Role | null> = new Set(HELPER_ROLES);

export function isHelperRole(role: Role | null): boolean {
  return HELPERS.has(role);
}

/** Workers of a pool or executor (shown under their pool). */
export function isWorkerRole(role: Role | null): boolean {
  return role === 'pool-worker' || role === 'executor-worker';
}

/** How a role reads in a sentence: "Manager server", "pool worker". */
export function roleText(role: Role): string {
  switch (role) {
    case 'main':
      return 'main process';
    case 'process':
      return 'process';
    case 'pool-worker':
      return 'Pool worker';
    case 'executor-worker':
      return 'ProcessPoolExecutor worker';
    case 'manager':
      return 'Manager server';
    case 'resource-tracker':
      return 'resource tracker';
    case 'forkserver':
      return 'forkserver';
    case 'fork':
      return 'os.fork() child';
    case 'launcher':
      return 'mpscope launcher';
    default: {
      const unknown: never = role;
      return String(unknown);
    }
  }
}
