// Unit tests: node:test over the compiled client model tests and server tests (run
// `npm run build` first). A folder without tests yet is skipped with a note.
import * as path from 'node:path';
import { makeLogger } from './lib/log.mjs';
import { repoRoot } from './lib/paths.mjs';
import { runCommand } from './lib/run-command.mjs';
import { collectUnitTests } from './lib/unit-test-files.mjs';

const log = makeLogger('unit');
const folders = collectUnitTests();
let missingOutput = false;
for (const { folder, files, notCompiled } of folders) {
  if (notCompiled.length > 0) {
    missingOutput = true;
    log.error(`${folder}: not compiled (run \`npm run build\`): ${notCompiled.map((file) => path.relative(repoRoot, file)).join(', ')}`);
  }
  if (files.length === 0 && notCompiled.length === 0) log.info(`${folder}: no tests yet, skipped`);
  else log.info(`${folder}: ${files.length} test files`);
}
const files = folders.flatMap((folder) => folder.files);
let code = missingOutput ? 1 : 0;
if (files.length > 0) {
  const result = await runCommand(process.execPath, ['--test', '--test-reporter=spec', ...files.map((file) => path.relative(repoRoot, file))], { cwd: repoRoot });
  if (result.code !== 0) code = result.code;
}
process.exit(code);
