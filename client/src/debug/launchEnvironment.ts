// The environment mpscope adds to a Python launch configuration, without VS Code. Every
// process of the debuggee then reports to the session: MPSCOPE_ADDR and MPSCOPE_TOKEN, and the
// bootstrap directory first on PYTHONPATH (its sitecustomize installs the hooks). The user's
// own values stay: other variables are copied as they are, and PYTHONPATH keeps what the
// debuggee would have had without mpscope (from `env`, from `envFile`, or inherited).
import * as path from 'node:path';
import type { EnvValues } from './envFile';

export const DEBUG_ENABLE_SETTING = 'debug.enable';

/**
 * `env` of a launch configuration: strings, or null to unset a variable (debugpy's convention);
 * other values are the user's to get wrong and are passed on untouched.
 */
export type LaunchEnv = Record<string, unknown>;

export interface LaunchEnvironmentInputs {
  readonly platform: NodeJS.Platform;
  /** The configuration's `env` (anything: it comes from the user's launch.json). */
  readonly configEnv: unknown;
  /** The configuration's `envFile`, read and parsed; undefined when there is none. */
  readonly envFile: EnvValues | undefined;
  /** The PYTHONPATH the debuggee would inherit from VS Code's environment. */
  readonly inheritedPythonPath: string | undefined;
  /** `<extension>/runtime/bootstrap`. */
  readonly bootstrapDir: string;
  readonly sessionEnv: { readonly MPSCOPE_ADDR: string; readonly MPSCOPE_TOKEN: string };
}

/** Whether mpscope instruments a configuration: launches only, unless turned off. */
export function shouldInstrument(config: { readonly request?: unknown; readonly mpscope?: unknown }, settingEnabled: boolean): boolean {
  return settingEnabled && config.mpscope !== false && config.request === 'launch';
}

/** The configuration's new `env`. */
export function launchEnvironment(inputs: LaunchEnvironmentInputs): LaunchEnv {
  const windows = inputs.platform === 'win32';
  const delimiter = windows ? path.win32.delimiter : path.posix.delimiter;
  // Windows variable names ignore case (and debugpy rejects two spellings of one name there).
  const same = (a: string, b: string): boolean => (windows ? a.toUpperCase() === b.toUpperCase() : a === b);
  const ours = ['PYTHONPATH', 'MPSCOPE_ADDR', 'MPSCOPE_TOKEN'];

  const env: LaunchEnv = {};
  let pythonPathKey = 'PYTHONPATH';
  let fromEnv: string | null | undefined;
  for (const [key, value] of Object.entries(isRecord(inputs.configEnv) ? inputs.configEnv : {})) {
    if (same(key, 'PYTHONPATH')) {
      pythonPathKey = key;
      fromEnv = typeof value === 'string' || value === null ? value : undefined;
    } else if (!ours.some((name) => same(key, name))) {
      env[key] = value; // as the user wrote it, whatever the debug adapter makes of it
    }
  }
  const fromFile = inputs.envFile && Object.entries(inputs.envFile).find(([key]) => same(key, 'PYTHONPATH'))?.[1];

  // As the Python extension merges them: the envFile's entries, then the configuration's; the
  // inherited one only when neither sets it (and `null` in env means "unset").
  let userParts: string[];
  if (fromEnv === null) {
    userParts = [];
  } else if (fromEnv !== undefined || fromFile !== undefined) {
    userParts = [...split(fromFile, delimiter), ...split(fromEnv, delimiter)];
  } else {
    userParts = split(inputs.inheritedPythonPath, delimiter);
  }
  const normalize = (entry: string): string => {
    const normal = windows ? path.win32.normalize(entry).toLowerCase() : path.posix.normalize(entry);
    return normal.length > 1 ? normal.replace(/[\\/]+$/, '') : normal;
  };
  const bootstrap = normalize(inputs.bootstrapDir);
  const seen = new Set<string>([bootstrap]);
  const kept: string[] = [];
  for (const part of userParts) {
    const key = normalize(part);
    if (!seen.has(key)) {
      seen.add(key);
      kept.push(part);
    }
  }
  env[pythonPathKey] = [inputs.bootstrapDir, ...kept].join(delimiter);
  env.MPSCOPE_ADDR = inputs.sessionEnv.MPSCOPE_ADDR;
  env.MPSCOPE_TOKEN = inputs.sessionEnv.MPSCOPE_TOKEN;
  return env;
}

function split(value: string | null | undefined, delimiter: string): string[] {
  return value ? value.split(delimiter).filter((part) => part.length > 0) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
