// Parsing entry points: a whole text at once, or incrementally as an editor changes it (lezer
// re-uses the unchanged parts of the previous tree through TreeFragments).

import { TreeFragment, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { ChangedRegion } from './changedRegion';
import { collectLexicalInfo, collectSubtreeLexicalInfo, type LexicalInfo, STATEMENT_NODES, SyntaxConverter } from './convert';
import { detached, LexicalCache } from './lexicalCache';
import { LineIndex } from './lineIndex';
import { SpanIndex } from './spanIndex';
import { StatementCache } from './statementCache';
import type { Comment, Module, Span } from './syntax';

/** A parsed Python file: its syntax view plus the lexical facts rules and fixes need. */
export interface SourceFile {
  readonly text: string;
  readonly module: Module;
  readonly lines: LineIndex;
  readonly comments: readonly Comment[];
  /** Where the parser had to recover, sorted by `from`. Empty for a file that parses cleanly. */
  readonly errors: readonly Span[];
  /** String tokens spanning several lines (their inner lines must never be re-indented). */
  readonly multilineStrings: readonly Span[];
  /** Whether a syntax error lies within `span` (touching its ends counts). */
  hasErrorWithin(span: Span): boolean;
}

/** What an incremental parse already knows when it builds the syntax view. */
interface Prepared {
  readonly lexical: LexicalInfo;
  readonly lines: LineIndex;
  readonly cache: StatementCache;
  /** Cache keys of the top-level statements that start their line, by offset. */
  readonly keys: ReadonlyMap<number, string>;
}

class ParsedSource implements SourceFile {
  readonly module: Module;
  readonly lines: LineIndex;
  readonly comments: readonly Comment[];
  readonly errors: readonly Span[];
  readonly multilineStrings: readonly Span[];
  private readonly errorIndex: SpanIndex;

  constructor(
    readonly text: string,
    tree: Tree,
    prepared?: Prepared,
  ) {
    const lexical = prepared?.lexical ?? collectLexicalInfo(tree, text);
    this.lines = prepared?.lines ?? new LineIndex(text);
    this.comments = lexical.comments;
    this.errors = lexical.errors;
    this.multilineStrings = lexical.multilineStrings;
    this.errorIndex = new SpanIndex(this.errors);
    this.module = new SyntaxConverter(text, this.lines, this.errorIndex, prepared?.cache, prepared?.keys).module(tree);
  }

  hasErrorWithin(span: Span): boolean {
    return this.errorIndex.touches(span.from, span.to);
  }
}

export function parseSource(text: string): SourceFile {
  return new ParsedSource(text, parser.parse(text));
}

/** What `topLevel` finds: the lexical facts, the statements' keys, and the facts collected afresh (to keep). */
interface TopLevel {
  readonly lexical: LexicalInfo;
  readonly statements: Map<number, TopStatement>;
  readonly collected: readonly (readonly [string, number, Comment[], Span[]])[];
}

/** One top-level statement of the last parse: where it ended and its cache key (detached from the text). */
interface TopStatement {
  readonly to: number;
  readonly key: string;
}

/**
 * Keeps the previous tree of one document so that a re-parse after an edit only re-reads the
 * changed region. Feed it every edit in order (`edit`), then `parse` the resulting text.
 *
 * Beyond lezer's re-use, the top-level statements whose text is unchanged keep their syntax
 * objects (StatementCache) and lexical facts (LexicalCache), and those outside the edited
 * range are recognised by position, without comparing their text.
 */
export class IncrementalParser {
  private fragments: readonly TreeFragment[] = [];
  private last: SourceFile | undefined;
  private lastLines: LineIndex | undefined;
  private readonly statements = new StatementCache();
  private readonly lexical = new LexicalCache();
  /** What changed since the last parse (undefined when unknown, e.g. after a reset). */
  private changed: ChangedRegion | undefined;
  /** The last parse's top-level statements that start their line, by offset. */
  private top = new Map<number, TopStatement>();

  /** Records that `[from, to)` of the previous text was replaced by `insertedLength` units. */
  edit(from: number, to: number, insertedLength: number): void {
    if (this.last !== undefined || this.changed !== undefined) this.changed = ChangedRegion.after(this.changed, from, to, insertedLength);
    this.last = undefined;
    if (this.fragments.length === 0) return;
    this.fragments = TreeFragment.applyChanges(this.fragments, [
      { fromA: from, toA: to, fromB: from, toB: from + insertedLength },
    ]);
  }

  /** Forgets the previous tree (after a change that replaced the whole text). */
  reset(): void {
    this.fragments = [];
    this.last = undefined;
    this.lastLines = undefined;
    this.changed = undefined;
    this.top.clear();
    this.statements.clear();
    this.lexical.clear();
  }

  parse(text: string): SourceFile {
    if (this.last !== undefined && this.last.text === text) return this.last;
    // Offsets of the last parse can be mapped only when the edits since describe this text.
    const changed = this.changed !== undefined && this.lastLines !== undefined && this.lastLines.text.length + this.changed.delta === text.length ? this.changed : undefined;
    let tree = parser.parse(text, this.fragments);
    let top = this.topLevel(tree, text, changed);
    // lezer's re-use is exact only for error-free trees: re-using nodes of a tree with error
    // nodes, or recovering in a partly re-used tree, can nest or split statements differently
    // from a fresh parse (measured: a function swallowing every later one). So a result with
    // errors is parsed again from scratch, and only error-free trees are kept for re-use: while
    // a file has a syntax error each change costs a full parse, and the result is always what
    // `parseSource` gives.
    if (top.lexical.errors.length > 0 && this.fragments.length > 0) {
      tree = parser.parse(text);
      top = this.topLevel(tree, text, changed);
    }
    // Lexical facts are kept only from a tree a fresh parse would give too (see above).
    for (const [key, from, comments, strings] of top.collected) this.lexical.put(key, from, comments, strings);
    this.fragments = top.lexical.errors.length > 0 ? [] : TreeFragment.addTree(tree, this.fragments);
    const lines =
      changed !== undefined && this.lastLines !== undefined
        ? LineIndex.afterChange(this.lastLines, text, changed.from, changed.to, changed.delta)
        : new LineIndex(text);
    const keys = new Map<number, string>();
    for (const [from, statement] of top.statements) keys.set(from, statement.key);
    this.last = new ParsedSource(text, tree, { lexical: top.lexical, lines, cache: this.statements, keys });
    this.lexical.endParse();
    this.lastLines = lines;
    this.top = top.statements;
    this.changed = undefined;
    return this.last;
  }

  /**
   * The lexical facts of the tree, top-level statement by top-level statement: taken from the
   * cache for a statement seen before, collected from the tree otherwise; and each top-level
   * statement's cache key.
   */
  private topLevel(tree: Tree, text: string, changed: ChangedRegion | undefined): TopLevel {
    const lexical = { comments: [] as Comment[], errors: [] as Span[], multilineStrings: [] as Span[] };
    const statements = new Map<number, TopStatement>();
    const collected: [string, number, Comment[], Span[]][] = [];
    const cursor = tree.cursor();
    if (!cursor.firstChild()) return { lexical, statements, collected };
    do {
      const from = cursor.from;
      const to = cursor.to;
      const key = STATEMENT_NODES.has(cursor.name) && !cursor.type.isError ? this.keyOf(text, from, to, changed) : undefined;
      if (key !== undefined) statements.set(from, { to, key });
      // Only statements at the start of their line are taken from the lexical cache: one indented
      // below nothing (an unexpected indent) parses according to the indentation around it, so
      // its text alone does not decide its tokens and errors.
      const lexicalKey = key !== undefined && key.length === to - from ? key : undefined;
      const known = lexicalKey === undefined ? undefined : this.lexical.take(lexicalKey, from);
      if (known !== undefined) {
        for (const comment of known.comments) lexical.comments.push(comment);
        for (const string of known.strings) lexical.multilineStrings.push(string);
        continue;
      }
      const comments = lexical.comments.length;
      const strings = lexical.multilineStrings.length;
      const errors = lexical.errors.length;
      collectSubtreeLexicalInfo(cursor, text, lexical);
      if (lexicalKey !== undefined && lexical.errors.length === errors) {
        collected.push([lexicalKey, from, lexical.comments.slice(comments), lexical.multilineStrings.slice(strings)]);
      }
    } while (cursor.nextSibling());
    return { lexical, statements, collected };
  }

  /**
   * The cache key of a top-level statement at `[from, to)`: its text with the indentation before
   * it, undefined when it does not start its line (after `;`, or after text recovery skipped:
   * the same line could hold a different statement). Outside the changed range the key of the
   * statement that stood there in the last parse is taken, without reading the text.
   */
  private keyOf(text: string, from: number, to: number, changed: ChangedRegion | undefined): string | undefined {
    let lineStart = from;
    for (;;) {
      const code = lineStart > 0 ? text.charCodeAt(lineStart - 1) : 10;
      if (code === 10 || code === 13) break;
      if (code !== 32 && code !== 9 && code !== 12) return undefined;
      lineStart--;
    }
    const before = changed?.parsedRange(lineStart, to);
    if (before !== undefined) {
      const known = this.top.get(before.from + (from - lineStart));
      if (known !== undefined && known.to === before.to && known.key.length === to - lineStart) return known.key;
    }
    return detached(text.slice(lineStart, to));
  }
}
