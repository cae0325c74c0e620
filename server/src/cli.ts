// Entry point of the `mpscope-lint` command (bundled to dist/cli.js).

import { runCli } from './cli/run';

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
