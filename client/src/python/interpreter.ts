// Which Python runs the user's file: the `mpscope.pythonPath` setting when set, else the Python
// extension's selected interpreter when that extension is installed, else the first of
// `python3`/`python` (Windows: `py`/`python`) found on PATH. Inputs are injected so the choice
// is unit-tested without VS Code.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface Interpreter {
  /** The executable and any fixed arguments before `-m mpscope` (e.g. `conda run -n env python`). */
  readonly command: readonly string[];
  readonly source: InterpreterSource;
}

export interface InterpreterInputs {
  readonly platform: NodeJS.Platform;
  /** The `mpscope.pythonPath` setting (empty or undefined: not set). */
  readonly setting: string | undefined;
  /** For `${workspaceFolder}` in the setting. */
  readonly workspaceFolder: string | undefined;
  /** For `~` and `${userHome}` in the setting. */
  readonly homeDir: string;
  /** The Python extension's interpreter for the file, or undefined (not installed, none selected). */
  readonly pythonExtension: () => Promise<readonly string[] | undefined>;
  /** Absolute path of an executable on PATH, or undefined. */
  readonly findOnPath: (name: string) => Promise<string | undefined>;
}

export function pathCandidates(platform: NodeJS.Platform): readonly string[] {
  return platform === 'win32' ? ['py', 'python'] : ['python3', 'python'];
}

export async function selectInterpreter(inputs: InterpreterInputs): Promise<Interpreter | undefined> {
  const setting = inputs.setting?.trim();
  if (setting) {
    return { command: [expandSetting(setting, inputs)], source: 'setting' };
  }
  let fromExtension: readonly string[] | undefined;
  try {
    fromExtension = await inputs.pythonExtension();
  } catch {
    fromExtension = undefined; // a broken or slow extension must not block running the file
  }
  if (fromExtension && fromExtension.length > 0 && fromExtension.every((part) => typeof part === 'string' && part.length > 0)) {
    return { command: [...fromExtension], source: 'python-extension' };
  }
  for (const name of pathCandidates(inputs.platform)) {
    const found = await inputs.findOnPath(name);
    if (found) {
      return { command: [found], source: 'path' };
    }
  }
  return undefined;
}

/** `${workspaceFolder}`, `${userHome}` and a leading `~` in the setting, as users write them. */
export function expandSetting(value: string, inputs: Pick<InterpreterInputs, 'workspaceFolder' | 'homeDir' | 'platform'>): string {
  let expanded = value.replace(/\$\{userHome\}/g, inputs.homeDir);
  if (inputs.workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, inputs.workspaceFolder);
  }
  if (expanded === '~' || expanded.startsWith('~/') || (inputs.platform === 'win32' && expanded.startsWith('~\\'))) {
    expanded = inputs.homeDir + expanded.slice(1);
  }
  return expanded;
}

export interface PathLookup {
  readonly platform: NodeJS.Platform;
  /** The PATH variable. */
  readonly pathEnv: string | undefined;
  /** Windows' PATHEXT variable. */
  readonly pathExt?: string | undefined;
  readonly isExecutableFile?: (file: string) => Promise<boolean>;
}

/** Like `which`: the first directory of PATH holding an executable file called `name`. */
export async function findOnPath(name: string, lookup: PathLookup): Promise<string | undefined> {
  const windows = lookup.platform === 'win32';
  const pathApi = windows ? path.win32 : path.posix;
  const isExecutableFile = lookup.isExecutableFile ?? defaultIsExecutableFile;
  const directories = (lookup.pathEnv ?? '').split(windows ? ';' : ':').filter((dir) => dir.length > 0);
  const extensions = windows
    ? (lookup.pathExt || '.COM;.EXE;.BAT;.CMD').split(';').filter((ext) => ext.length > 0)
    : [''];
  for (const directory of directories) {
    for (const extension of extensions) {
      const candidate = pathApi.join(directory.replace(/^"(.*)"$/, '$1'), name + extension.toLowerCase());
      if (await isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

async function defaultIsExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return false;
    }
    await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
