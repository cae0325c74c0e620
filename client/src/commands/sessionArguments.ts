// What the session commands make of their arguments, without VS Code: a session id from a tree
// node or a string, and a file name from a session's label.
import * as path from 'node:path';

/** A session id from a command argument: a tree node (`{ sessionId }`) or the id itself. */
export function sessionIdOf(argument: unknown): string | undefined {
  if (typeof argument === 'string') {
    return argument;
  }
  if (typeof argument === 'object' && argument !== null && typeof (argument as { sessionId?: unknown }).sessionId === 'string') {
    return (argument as { sessionId: string }).sessionId;
  }
  return undefined;
}

/** A file name stem from a session label: `pool_map.py` → `pool_map`, `-m pkg.main` → `m_pkg.main`. */
export function fileStem(label: string): string {
  const stem = path.basename(label.replace(/\\/g, '/')).replace(/\.pyw?$/i, '').replace(/[^\w.-]+/g, '_').replace(/^[._-]+|[_.-]+$/g, '');
  return stem || 'session';
}
