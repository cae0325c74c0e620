// Re-use of converted statements between incremental parses of one document. A statement whose
// text (with the indentation before it) is unchanged converts to the same syntax, only moved.
// A top-level statement's previous conversion is moved in place (every offset shifted), which
// costs a fraction of converting again and keeps the objects' identity from one version to the
// next. The statements one level down (the methods of a class, the statements of a function)
// are kept too, so that an edit inside a large class re-converts only what changed; they are
// objects of a top-level statement as well, so they are only ever re-used as shifted copies:
// no object is moved on behalf of two entries. Statements containing syntax errors are never
// cached (error recovery may still adopt statements into them).
//
// Because objects move in place, a SourceFile from an earlier parse of the same document is
// stale once the next one is made: consumers use the latest (the language server does).

import { detached } from './detached';
import type { Statement } from './syntax';

interface Entry {
  statements: readonly Statement[];
  /** Every object below `statements` that has `from`/`to`, so that moving them is one loop. */
  spans: readonly MutableSpan[] | undefined;
  /** The parse that last used this entry. */
  generation: number;
}

interface MutableSpan {
  from: number;
  to: number;
}

/** Every this many parses, entries not used during the last period are dropped. */
const PRUNE_EVERY_PARSES = 64;

export class StatementCache {
  private readonly entries = new Map<string, Entry>();
  private readonly nested = new Map<string, Entry>();
  private generation = 0;

  /** The statements converted for `key` before, moved to start at `from`. */
  take(key: string, from: number): readonly Statement[] | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.statements.length === 0) return undefined;
    const delta = from - entry.statements[0].from;
    if (entry.generation === this.generation) {
      // The same text twice in one document: the second place gets its own copy.
      return entry.statements.map((statement) => shiftedCopy(statement, delta));
    }
    if (delta !== 0) {
      // Collected on first re-use: most statements are converted once and never moved.
      entry.spans ??= collectSpans(entry.statements);
      for (const span of entry.spans) {
        span.from += delta;
        span.to += delta;
      }
    }
    entry.generation = this.generation;
    return entry.statements;
  }

  /** A copy of the nested statements converted for `key` before, moved to start at `from`. */
  copyOfNested(key: string, from: number): readonly Statement[] | undefined {
    const entry = this.nested.get(key);
    if (entry === undefined || entry.statements.length === 0) return undefined;
    entry.generation = this.generation;
    const delta = from - entry.statements[0].from;
    return entry.statements.map((statement) => shiftedCopy(statement, delta));
  }

  /** Records nested statements (one level below a top-level statement) converted for `key`. */
  putNested(key: string, statements: readonly Statement[]): void {
    this.nested.set(detached(key), { statements, spans: undefined, generation: this.generation });
  }

  /** `keyIsDetached`: the key shares no storage with the document's text (else it is copied). */
  put(key: string, statements: readonly Statement[], keyIsDetached = false): void {
    // Copy the key: a slice would keep this whole version of the document alive.
    this.entries.set(keyIsDetached ? key : detached(key), { statements, spans: undefined, generation: this.generation });
  }

  /** Ends a parse. Now and then drops entries that went unused for a while (old versions of edited statements). */
  endParse(): void {
    this.generation++;
    if (this.generation % PRUNE_EVERY_PARSES !== 0) return;
    for (const cache of [this.entries, this.nested]) {
      for (const [key, entry] of cache) {
        if (entry.generation < this.generation - PRUNE_EVERY_PARSES) cache.delete(key);
      }
    }
  }

  clear(): void {
    this.entries.clear();
    this.nested.clear();
  }
}

/**
 * Every object below `statements` with `from`/`to` (by the syntax view's convention those two
 * keys, and only they, hold offsets), each once.
 */
function collectSpans(statements: readonly Statement[]): MutableSpan[] {
  const spans: MutableSpan[] = [];
  const seen = new Set<object>();
  const visit = (value: object): void => {
    if (seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) if (typeof item === 'object' && item !== null) visit(item);
      return;
    }
    const node = value as Record<string, unknown>;
    if (typeof node.from === 'number' && typeof node.to === 'number') spans.push(node as unknown as MutableSpan);
    for (const key in node) {
      const item = node[key];
      if (typeof item === 'object' && item !== null) visit(item);
    }
  };
  for (const statement of statements) visit(statement);
  return spans;
}

/** A deep copy of `value` with `delta` added to every `from` and `to`. */
function shiftedCopy<T>(value: T, delta: number): T {
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = shiftedCopy(value[i] as unknown, delta);
    return copy as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key in source) {
    const item = source[key];
    if (key === 'from' || key === 'to') copy[key] = (item as number) + delta;
    else if (typeof item === 'object' && item !== null) copy[key] = shiftedCopy(item, delta);
    else copy[key] = item;
  }
  return copy as T;
}
