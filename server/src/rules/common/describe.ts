// How findings quote code and name things in their messages, shared by the call-shape and
// data-flow rules so that they read alike.

import type { HeldObject } from '../../analysis';
import type { Expression, SourceFile, Span } from '../../parser';

/** The code of `node` on one line, shortened to `limit` characters. */
export function snippet(source: SourceFile, node: Span, limit = 60): string {
  const text = source.text.slice(node.from, node.to).replace(/\s+/g, ' ').trim();
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

/** `mp.Pool(...)`, `main()`: the callee as written, arguments elided. */
export function callSnippet(source: SourceFile, node: Expression): string {
  if (node.kind !== 'Call') return snippet(source, node);
  return `${snippet(source, node.callee)}(${node.args.length > 0 ? '...' : ''})`;
}

/** 1-based line of an offset, for "on line N". */
export function lineNumber(source: SourceFile, offset: number): number {
  return source.lines.lineOf(offset) + 1;
}

/** "a multiprocessing Queue", "an open file", "a threading.Lock"… */
export function describeHeld(held: HeldObject): string {
  switch (held.kind) {
    case 'sync-primitive':
      return `a multiprocessing ${held.type}`;
    case 'thread-object':
      return `a ${held.type}`;
    case 'file':
      return 'an open file';
    case 'generator':
      return 'a generator';
    case 'pool':
      return 'a multiprocessing Pool';
    case 'executor':
      return 'a ProcessPoolExecutor';
    case 'process':
      return 'a Process';
    case 'manager':
      return 'a Manager';
    case 'manager-proxy':
      return `a Manager ${held.type} proxy`;
  }
}

/** Where a value was made ("`mp.Queue()` on line 4"), unless that is inside `usedAt`. */
export function madeWhere(source: SourceFile, held: HeldObject, usedAt: Span): string | undefined {
  const origin = held.origin.expression;
  if (origin.from >= usedAt.from && origin.to <= usedAt.to) return undefined;
  return `\`${snippet(source, origin, 40)}\` on line ${lineNumber(source, origin.from)}`;
}
