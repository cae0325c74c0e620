// Where a file sits in its Python package, found the way Python would: a folder is a package
// when it contains __init__.py. `pkg/sub/mod.py` with both __init__.py files is `pkg.sub.mod`.
// Used to resolve relative imports; namespace packages (no __init__.py) are not guessed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModuleIdentity } from '../analysis';

export class ModuleIdentityFinder {
  private readonly packageFolders = new Map<string, boolean>();

  identify(file: string): ModuleIdentity | undefined {
    const absolute = path.resolve(file);
    const base = path.basename(absolute).replace(/\.pyw?$/, '');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(base)) return undefined;
    const isPackage = base === '__init__';
    const parts = isPackage ? [] : [base];
    let folder = path.dirname(absolute);
    while (this.isPackageFolder(folder)) {
      parts.unshift(path.basename(folder));
      const parent = path.dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    if (parts.length === 0) return undefined;
    return { name: parts.join('.'), isPackage };
  }

  private isPackageFolder(folder: string): boolean {
    const known = this.packageFolders.get(folder);
    if (known !== undefined) return known;
    const result = /^[A-Za-z_][A-Za-z0-9_]*$/.test(path.basename(folder)) && fs.existsSync(path.join(folder, '__init__.py'));
    this.packageFolders.set(folder, result);
    return result;
  }
}
