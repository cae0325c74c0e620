// A minimal stand-in for the `vscode` module, so code that renders tree items (the real
// ProcessTreeProvider) runs in plain Node for the benchmark. Importing this file installs it:
// import it before anything that imports `vscode`. It holds data the way the real classes do
// and nothing more; a name it does not provide fails loudly, so a benchmark never measures a
// silently missing piece.
import Module from 'node:module';

class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

class TreeItem {
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  id?: string;
  resourceUri?: unknown;
  accessibilityInformation?: unknown;
  constructor(
    public label: unknown,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

class MarkdownString {
  supportThemeIcons = false;
  supportHtml = false;
  constructor(
    public value = '',
    public isTrusted = false,
  ) {}
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static from(parts: { scheme: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '', parts.query ?? '', parts.fragment ?? '');
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { query?: string; fragment?: string }): Uri {
    return new Uri(this.scheme, this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
}

class Disposable {
  constructor(private readonly onDispose: () => void) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

const provided: Record<string, unknown> = {
  EventEmitter,
  TreeItem,
  TreeItemCollapsibleState,
  ThemeColor,
  ThemeIcon,
  MarkdownString,
  Uri,
  Disposable,
};

const standIn = new Proxy(provided, {
  get(target, name) {
    if (typeof name === 'string' && !(name in target) && name !== 'then' && name !== '__esModule') {
      throw new Error(`the benchmark's vscode stand-in has no "${name}": add it to client/test/bench/vscodeStandIn.ts`);
    }
    return target[name as string];
  },
});

// Module._load is Node's internal resolver hook, untyped in @types/node; the cast names only the
// one function replaced here.
const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const originalLoad = loader._load;
loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
  return request === 'vscode' ? standIn : originalLoad.call(this, request, parent, isMain);
};
