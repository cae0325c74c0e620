// Comments, error nodes and multi-line strings of a lezer tree, gathered in one walk over its
// raw storage (Tree objects and the flat TreeBuffers that hold most nodes), in document order.
//
// Incrementally, lezer re-uses the subtrees of the previous tree that an edit did not touch:
// the very same TreeBuffer objects, placed at new offsets. A `LexicalCache` keeps what each
// buffer held, so that only buffers lezer made anew are read again. Re-used buffers come from
// trees without errors (the parser keeps no other tree for re-use), and hold none.

import { type NodeSet, Tree, TreeBuffer } from '@lezer/common';
import { detached } from './detached';
import type { Comment, Span } from './syntax';

/** Lexical facts gathered in one pass over the whole tree. */
export interface LexicalInfo {
  readonly comments: readonly Comment[];
  /** Spans of the parser's error nodes, sorted by `from` (zero-width when something was missing). */
  readonly errors: readonly Span[];
  /** String tokens that span more than one line, sorted by `from`. */
  readonly multilineStrings: readonly Span[];
}

interface Collected {
  comments: Comment[];
  errors: Span[];
  multilineStrings: Span[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface BufferFacts {
  /** Where the buffer started when the spans below were made. */
  offset: number;
  /** The walk that last took these facts (a buffer met twice in one tree gets walked again). */
  walk: number;
  comments: readonly Comment[];
  strings: readonly Span[];
}

/** What each TreeBuffer of a document's recent trees holds (see the file comment). */
export class LexicalCache {
  private readonly buffers = new WeakMap<TreeBuffer, BufferFacts>();
  private walk = 0;

  /** @internal A new walk over a tree begins. */
  startWalk(): void {
    this.walk++;
  }

  /**
   * @internal What `buffer` holds, moved to `offset`. The spans are moved in place, like the
   * syntax of re-used statements (see StatementCache): a SourceFile from an earlier parse of
   * the document is stale once the next one is made.
   */
  get(buffer: TreeBuffer, offset: number): BufferFacts | undefined {
    const facts = this.buffers.get(buffer);
    if (facts === undefined || facts.walk === this.walk) return undefined;
    facts.walk = this.walk;
    if (facts.offset === offset) return facts;
    const delta = offset - facts.offset;
    for (const span of facts.comments as Mutable<Comment>[]) {
      span.from += delta;
      span.to += delta;
    }
    for (const span of facts.strings as Mutable<Span>[]) {
      span.from += delta;
      span.to += delta;
    }
    facts.offset = offset;
    return facts;
  }

  /** @internal */
  set(buffer: TreeBuffer, facts: Omit<BufferFacts, 'walk'>): void {
    this.buffers.set(buffer, { ...facts, walk: this.walk });
  }
}

export function collectLexicalInfo(tree: Tree, text: string, cache?: LexicalCache): LexicalInfo {
  const into: Collected = { comments: [], errors: [], multilineStrings: [] };
  cache?.startWalk();
  walkTree(tree, 0, text, into, cache);
  return into;
}

function walkTree(tree: Tree, offset: number, text: string, into: Collected, cache: LexicalCache | undefined): void {
  const type = tree.type;
  const end = offset + tree.length;
  if (type.isError) {
    into.errors.push({ from: offset, to: end });
  } else if (!type.isAnonymous) {
    if (type.name === 'Comment') {
      into.comments.push({ from: offset, to: end, text: text.slice(offset, end) });
      return;
    } else if (type.name === 'String' || type.name === 'FormatString') {
      if (isMultiline(text, offset, end)) into.multilineStrings.push({ from: offset, to: end });
      // Replacement fields of an f-string may hold comments or errors of their own.
      if (type.name === 'String') return;
    }
  }
  const { children, positions } = tree;
  for (let index = 0; index < children.length; index++) {
    const child = children[index];
    const at = offset + positions[index];
    if (child instanceof Tree) walkTree(child, at, text, into, cache);
    else walkCachedBuffer(child, at, text, into, cache);
  }
}

function walkCachedBuffer(buffer: TreeBuffer, offset: number, text: string, into: Collected, cache: LexicalCache | undefined): void {
  const known = cache?.get(buffer, offset);
  if (known !== undefined) {
    for (const comment of known.comments) into.comments.push(comment);
    for (const string of known.strings) into.multilineStrings.push(string);
    return;
  }
  const comments = into.comments.length;
  const strings = into.multilineStrings.length;
  const errors = into.errors.length;
  walkBuffer(buffer.buffer, buffer.set, offset, text, into);
  if (cache !== undefined && into.errors.length === errors) {
    cache.set(buffer, {
      offset,
      // Comment texts are slices of the document: copied, so that no old version stays alive.
      comments: into.comments.slice(comments).map((comment) => ({ from: comment.from, to: comment.to, text: detached(comment.text) })),
      strings: into.multilineStrings.slice(strings).map((string) => ({ from: string.from, to: string.to })),
    });
  }
}

/** A buffer holds nodes in prefix order: (type, from, to, index after the node's descendants). */
function walkBuffer(buffer: Uint16Array, set: NodeSet, offset: number, text: string, into: Collected): void {
  const types = set.types;
  let index = 0;
  while (index < buffer.length) {
    const type = types[buffer[index]];
    const from = offset + buffer[index + 1];
    const to = offset + buffer[index + 2];
    const after = buffer[index + 3];
    index += 4;
    if (type.isError) {
      into.errors.push({ from, to });
    } else if (type.isAnonymous) {
      continue;
    } else if (type.name === 'Comment') {
      into.comments.push({ from, to, text: text.slice(from, to) });
      index = after;
    } else if (type.name === 'String' || type.name === 'FormatString') {
      if (isMultiline(text, from, to)) into.multilineStrings.push({ from, to });
      if (type.name === 'String') index = after;
    }
  }
}

function isMultiline(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || code === 13) return true;
  }
  return false;
}
