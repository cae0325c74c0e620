// Runs inside code-server's extension host (as extensionTestsPath) for `npm run bench:client`:
// activates mpscope cold and reports how long that took, loading its bundle included. The
// workspace is an empty folder, so none of mpscope's activation events fired before this.
// The figure reaches scripts/bench-client.mjs as a log line: `mpscope-bench:{json}`.
import * as vscode from 'vscode';

const extensionId = 'mpscope.mpscope';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded in this extension host`);
  if (extension.isActive) {
    throw new Error(`${extensionId} was already active: an activation event fired before the probe, so a cold activation cannot be measured`);
  }
  const started = performance.now();
  await extension.activate();
  const activateMs = performance.now() - started;
  console.log(`mpscope-bench:${JSON.stringify({ activateMs })}`);
}
