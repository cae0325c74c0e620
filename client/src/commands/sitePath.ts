// Where a reported source location lives on disk. Python reports `co_filename`, which is
// absolute for scripts run by path but may be relative to the process's working directory, or
// a pseudo-name such as `<stdin>` or `<string>` that no editor can open.
import * as path from 'node:path';

export function resolveSitePath(file: string, cwd: string | null, pathApi: path.PlatformPath = path): string | undefined {
  if (file.length === 0 || (file.startsWith('<') && file.endsWith('>'))) {
    return undefined;
  }
  if (pathApi.isAbsolute(file)) {
    return pathApi.normalize(file);
  }
  return cwd ? pathApi.resolve(cwd, file) : undefined;
}
