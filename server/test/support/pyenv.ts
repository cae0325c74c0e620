// The pyenv Pythons on this machine (their standard libraries are real code nobody here wrote,
// and their interpreters are reference implementations to compare with). Tests that need them
// skip when there are none.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PyenvPython {
  /** `3.12.1` */
  readonly version: string;
  readonly executable: string;
  /** The standard library folder, e.g. `…/lib/python3.12`. */
  readonly library: string;
}

export function pyenvPythons(): PyenvPython[] {
  const versions = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions');
  if (!fs.existsSync(versions)) return [];
  return fs
    .readdirSync(versions)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .flatMap((version) => {
      const lib = path.join(versions, version, 'lib');
      const executable = path.join(versions, version, 'bin', 'python3');
      if (!fs.existsSync(lib) || !fs.existsSync(executable)) return [];
      return fs
        .readdirSync(lib)
        .filter((name) => /^python\d+\.\d+$/.test(name) && fs.existsSync(path.join(lib, name, 'os.py')))
        .map((name) => ({ version, executable, library: path.join(lib, name) }));
    });
}
