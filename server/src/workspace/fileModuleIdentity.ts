// The module identity of an editor document, when it is a file on disk. Looked up afresh each
// time (a few stat calls): the user may add or remove __init__.py files while the server runs.

import { fileURLToPath } from 'node:url';
import type { ModuleIdentity } from '../analysis';
import { ModuleIdentityFinder } from './moduleIdentity';

export function fileModuleIdentity(uri: string): ModuleIdentity | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return new ModuleIdentityFinder().identify(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}
