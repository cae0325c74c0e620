// Entry point for the extension host (extensionTestsPath): VS Code loads this module and awaits
// run(); a throw makes the run fail. scripts/test-integration.mjs opens the workbench on a
// scratch copy of samples/ with this repository as the extension under development.
import { debugSessionTests } from './debugSessionTests';
import { lintTests } from './lintTests';
import { activateMpscope } from './mpscopeExtension';
import { osViewTests } from './osViewTests';
import { processViewTests } from './processViewTests';
import { runFileTests } from './runFileTests';
import { runTests } from './runner';
import { runtimeDiagnosticsTests } from './runtimeDiagnosticsTests';
import { timelineTests } from './timelineTests';

export async function run(): Promise<void> {
  const api = await activateMpscope();
  await runTests('mpscope integration', [
    ...lintTests(api),
    ...runFileTests(api),
    ...timelineTests(api),
    ...debugSessionTests(api),
    ...runtimeDiagnosticsTests(api),
    ...processViewTests(api),
    // Last: it ends with Clear Finished Sessions.
    ...osViewTests(api),
  ]);
}
