// Parsing entry points: a whole text at once, or incrementally as an editor changes it (lezer
// re-uses the unchanged parts of the previous tree through TreeFragments).

import { TreeFragment, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { ChangedRegion } from './changedRegion';
import { STATEMENT_NODES, SyntaxConverter } from './convert';
import { detached } from './detached';
import { collectLexicalInfo, LexicalCache, type LexicalInfo } from './lexicalInfo';
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
 * objects (StatementCache; those outside the edited range are recognised by position, without
 * reading their text again), and the comments and strings of the subtrees lezer re-used are
 * taken over (LexicalCache).
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
  }

  parse(text: string): SourceFile {
    if (this.last !== undefined && this.last.text === text) return this.last;
    // Offsets of the last parse can be mapped only when the edits since describe this text.
    const changed =
      this.changed !== undefined && this.lastLines !== undefined && this.lastLines.text.length + this.changed.delta === text.length
        ? this.changed
        : undefined;
    let tree = parser.parse(text, this.fragments);
    let lexical = collectLexicalInfo(tree, text, this.lexical);
    // lezer's re-use is exact only for error-free trees: re-using nodes of a tree with error
    // nodes, or recovering in a partly re-used tree, can nest or split statements differently
    // from a fresh parse (measured: a function swallowing every later one). So a result with
    // errors is parsed again from scratch, and only error-free trees are kept for re-use: while
    // a file has a syntax error each change costs a full parse, and the result is always what
    // `parseSource` gives.
    if (lexical.errors.length > 0 && this.fragments.length > 0) {
      tree = parser.parse(text);
      lexical = collectLexicalInfo(tree, text, this.lexical);
    }
    this.fragments = lexical.errors.length > 0 ? [] : TreeFragment.addTree(tree, this.fragments);
    const lines =
      changed !== undefined && this.lastLines !== undefined
        ? LineIndex.afterChange(this.lastLines, text, changed.from, changed.to, changed.delta)
        : new LineIndex(text);
    const top = this.topStatements(tree, text, changed);
    const keys = new Map<number, string>();
    for (const [from, statement] of top) keys.set(from, statement.key);
    this.last = new ParsedSource(text, tree, { lexical, lines, cache: this.statements, keys });
    this.lastLines = lines;
    this.top = top;
    this.changed = undefined;
    return this.last;
  }

  /** The cache keys of the tree's top-level statements that start their line, by offset. */
  private topStatements(tree: Tree, text: string, changed: ChangedRegion | undefined): Map<number, TopStatement> {
    const statements = new Map<number, TopStatement>();
    const cursor = tree.cursor();
    if (!cursor.firstChild()) return statements;
    do {
      if (!STATEMENT_NODES.has(cursor.name) || cursor.type.isError) continue;
      const { from, to } = cursor;
      const key = this.keyOf(text, from, to, changed);
      if (key !== undefined) statements.set(from, { to, key });
    } while (cursor.nextSibling());
    return statements;
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
