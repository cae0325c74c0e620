// A stand-in for the `vscode` module, enough for the Processes view's provider to run under
// node:test and in benchmarks: TreeItems are plain objects, events are synchronous. Install it
// before the first `require` of a module that imports `vscode`.
import Module from 'node:module';

export class FakeEventEmitter<T> {
  private listeners: Array<(value: T) => void> = [];
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((other) => other !== listener)) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class FakeTreeItem {
  id?: string;
  description?: string;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  tooltip?: unknown;
  constructor(readonly label: string, readonly collapsibleState?: number) {}
}

export const fakeVscode = {
  EventEmitter: FakeEventEmitter,
  TreeItem: FakeTreeItem,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ThemeIcon: class {
    constructor(readonly id: string, readonly color?: unknown) {}
  },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  MarkdownString: class {
    isTrusted = false;
    supportHtml = false;
    constructor(readonly value: string) {}
  },
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

let installed = false;

/** Makes `require('vscode')` return the stand-in (once per process). */
export function installFakeVscode(): void {
  if (installed) {
    return;
  }
  installed = true;
  const loader = Module as unknown as { _load: Loader };
  const original = loader._load;
  loader._load = (request, parent, isMain) => (request === 'vscode' ? fakeVscode : original(request, parent, isMain));
}
