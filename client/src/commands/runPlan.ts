// What "Run Python File with Process Tree" runs, computed without VS Code: the launcher's
// argv and the environment that connects every process of the program to its session.
import * as path from 'node:path';

/** `<python…> -m mpscope run --no-summary -- <file>`: the launcher runs the file as its child. */
export function launcherArgv(python: readonly string[], file: string): string[] {
  return [...python, '-m', 'mpscope', 'run', '--no-summary', '--', file];
}

export interface RunEnvironmentInputs {
  readonly platform: NodeJS.Platform;
  /** MPSCOPE_ADDR and MPSCOPE_TOKEN of the session. */
  readonly sessionEnv: { readonly MPSCOPE_ADDR: string; readonly MPSCOPE_TOKEN: string };
  /** `<extension>/runtime`, which holds the `mpscope` package. */
  readonly runtimeDir: string;
  /** The PYTHONPATH the terminal would otherwise have. */
  readonly existingPythonPath: string | undefined;
}

export function runEnvironment(inputs: RunEnvironmentInputs): Record<string, string> {
  const delimiter = inputs.platform === 'win32' ? path.win32.delimiter : path.posix.delimiter;
  const pythonPath = inputs.existingPythonPath
    ? `${inputs.runtimeDir}${delimiter}${inputs.existingPythonPath}`
    : inputs.runtimeDir;
  return {
    MPSCOPE_ADDR: inputs.sessionEnv.MPSCOPE_ADDR,
    MPSCOPE_TOKEN: inputs.sessionEnv.MPSCOPE_TOKEN,
    PYTHONPATH: pythonPath,
  };
}
