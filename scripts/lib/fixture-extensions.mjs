// Test-only extensions beside the one under development. The workbench's `payload` takes a single
// extensionDevelopmentPath (it reads the payload into a Map), so a fixture is installed instead:
// copied into the extensions folder before code-server starts, under the folder name VS Code
// gives installed extensions; code-server registers it when it initializes that folder.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Copies the extension in `source` into `extensionsDir`; returns its id (`publisher.name`). */
export function installFixtureExtension(source, extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.cpSync(source, path.join(extensionsDir, `${id}-${manifest.version}`), { recursive: true });
  return id;
}
