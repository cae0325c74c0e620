// The version mpscope-lint reports (`--version`, SARIF's tool.driver.version): the one in the
// extension's package.json, found above the running file (dist/cli.js in the package, or the
// compiled out/ tree in tests). Read at run time so that the manifest is not bundled.

import * as fs from 'node:fs';
import * as path from 'node:path';

function findVersion(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'mpscope' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No manifest here, or not readable: keep looking.
    }
    if (path.dirname(folder) === folder) return 'unknown';
  }
}

export const TOOL_VERSION: string = findVersion();
