// Parsing entry points: a whole text at once, or incrementally as an editor changes it (lezer
// re-uses the unchanged parts of the previous tree through TreeFragments).

import { TreeFragment, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { collectLexicalInfo, type LexicalInfo, SyntaxConverter } from './convert';
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
    cache?: StatementCache,
    lexical: LexicalInfo = collectLexicalInfo(tree, text),
  ) {
    this.lines = new LineIndex(text);
    this.comments = lexical.comments;
    this.errors = lexical.errors;
    this.multilineStrings = lexical.multilineStrings;
    this.errorIndex = new SpanIndex(this.errors);
    this.module = new SyntaxConverter(text, this.lines, this.errorIndex, cache).module(tree);
  }

  hasErrorWithin(span: Span): boolean {
    return this.errorIndex.touches(span.from, span.to);
  }
}

export function parseSource(text: string): SourceFile {
  return new ParsedSource(text, parser.parse(text));
}

/**
 * Keeps the previous tree of one document so that a re-parse after an edit only re-reads the
 * changed region. Feed it every edit in order (`edit`), then `parse` the resulting text.
 */
export class IncrementalParser {
  private fragments: readonly TreeFragment[] = [];
  private last: SourceFile | undefined;
  private readonly statements = new StatementCache();

  /** Records that `[from, to)` of the previous text was replaced by `insertedLength` units. */
  edit(from: number, to: number, insertedLength: number): void {
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
    this.statements.clear();
  }

  parse(text: string): SourceFile {
    if (this.last !== undefined && this.last.text === text) return this.last;
    let tree = parser.parse(text, this.fragments);
    let lexical = collectLexicalInfo(tree, text);
    // lezer's re-use is exact only for error-free trees: re-using nodes of a tree with error
    // nodes, or recovering in a partly re-used tree, can nest or split statements differently
    // from a fresh parse (measured: a function swallowing every later one). So a result with
    // errors is parsed again from scratch, and only error-free trees are kept for re-use: while
    // a file has a syntax error each change costs a full parse, and the result is always what
    // `parseSource` gives.
    if (lexical.errors.length > 0 && this.fragments.length > 0) {
      tree = parser.parse(text);
      lexical = collectLexicalInfo(tree, text);
    }
    this.fragments = lexical.errors.length > 0 ? [] : TreeFragment.addTree(tree, this.fragments);
    this.last = new ParsedSource(text, tree, this.statements, lexical);
    return this.last;
  }
}
