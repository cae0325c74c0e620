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
  /** The session's runtime settings (stack dumps), merged into MPSCOPE_OPTIONS. */
  readonly runtimeOptions?: object;
  /** The MPSCOPE_OPTIONS the terminal would otherwise have (the user's own settings). */
  readonly existingOptions?: string | undefined;
}

export function runEnvironment(inputs: RunEnvironmentInputs): Record<string, string> {
  const delimiter = inputs.platform === 'win32' ? path.win32.delimiter : path.posix.delimiter;
  const pythonPath = inputs.existingPythonPath
    ? `${inputs.runtimeDir}${delimiter}${inputs.existingPythonPath}`
    : inputs.runtimeDir;
  const env: Record<string, string> = {
    MPSCOPE_ADDR: inputs.sessionEnv.MPSCOPE_ADDR,
    MPSCOPE_TOKEN: inputs.sessionEnv.MPSCOPE_TOKEN,
    PYTHONPATH: pythonPath,
  };
  if (inputs.runtimeOptions && Object.keys(inputs.runtimeOptions).length > 0) {
    env.MPSCOPE_OPTIONS = mergeRuntimeOptions(inputs.existingOptions, inputs.runtimeOptions);
  }
  return env;
}

/**
 * MPSCOPE_OPTIONS with the session's keys over the user's own (e.g. `capture_args`); text that
 * is not a JSON object is replaced, as the runtime would ignore it anyway.
 */
export function mergeRuntimeOptions(existing: string | undefined, ours: object): string {
  let merged: Record<string, unknown> = {};
  if (existing) {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        merged = { ...(parsed as Record<string, unknown>) };
      }
    } catch {
      // not JSON: dropped
    }
  }
  return JSON.stringify({ ...merged, ...ours });
}
