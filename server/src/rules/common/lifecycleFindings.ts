// Shared by the rules built on the lifecycle analysis (MP002, MP009, MP010, MP012, MP013,
// MP014, MP020): how they pick the observations they judge, say where an object's phase came
// from, and place an inserted statement.

import type { CallObservation, Fact, Observation } from '../../analysis/lifecycle';
import type { FlowNode } from '../../analysis/flow';
import type { Expression, SourceFile, Span, Statement } from '../../parser';
import { unparenthesize } from '../../parser';
import { lineNumber, snippet } from './describe';

/**
 * The operation runs where the code expects this error: inside `assertRaises(...)`,
 * `pytest.raises(...)` or `suppress(...)`, or in a `try` with an `except` naming the exception.
 */
export function errorExpected(node: FlowNode, exception: string): boolean {
  return node.expected.anyError || node.expected.caught.has(exception);
}

export function callObservations(observations: readonly Observation[], methods: ReadonlySet<string> | string): CallObservation[] {
  const accepts = typeof methods === 'string' ? (name: string) => name === methods : (name: string) => methods.has(name);
  return observations.filter((observation): observation is CallObservation => observation.kind === 'call' && accepts(observation.method));
}

/** `pool.close()` on line 12 / its `with` block (line 9): what moved the object into the fact's phase. */
export function describeSince(source: SourceFile, fact: Fact): string {
  const line = lineNumber(source, fact.since.from);
  if (fact.phase === 'exited') return `the end of its \`with\` block (line ${line})`;
  return `\`${callText(source, fact.since)}\` on line ${line}`;
}

/** `pool.close()`, `p.start()`: a call as written, with its arguments elided when long. */
export function callText(source: SourceFile, span: Span): string {
  const text = source.text.slice(span.from, span.to).replace(/\s+/g, ' ').trim();
  if (text.length <= 40) return text;
  const paren = text.indexOf('(');
  return paren > 0 ? `${text.slice(0, paren)}(...)` : `${text.slice(0, 37)}...`;
}

/** The receiver as written when it is a plain name or `name.attribute` (safe to repeat in a fix). */
export function simpleReceiver(source: SourceFile, receiver: Expression): string | undefined {
  const node = unparenthesize(receiver);
  if (node.kind === 'Name') return node.name;
  if (node.kind === 'Attribute' && node.name && unparenthesize(node.object).kind === 'Name') return snippet(source, node, 200);
  return undefined;
}

/** Whether a statement starts its line (only indentation before it) and ends it (nothing but a comment after). */
export function ownsItsLines(source: SourceFile, statement: Statement): boolean {
  const lines = source.lines;
  const startLine = lines.lineOf(statement.from);
  const before = source.text.slice(lines.lineStart(startLine), statement.from);
  if (before.trim() !== '') return false;
  const endLine = lines.lineOf(statement.to);
  const after = source.text.slice(statement.to, lines.lineEnd(endLine)).trim();
  return after === '' || after.startsWith('#');
}

/**
 * An edit that puts `code` (one statement) right before `statement`, at its indentation: on a
 * line of its own when the statement starts its line, else before it, joined with `;`.
 */
export function insertBefore(source: SourceFile, statement: Statement, code: string): { from: number; to: number; insert: string } {
  const lines = source.lines;
  const line = lines.lineOf(statement.from);
  const before = source.text.slice(lines.lineStart(line), statement.from);
  if (before.trim() === '') return { from: statement.from, to: statement.from, insert: `${code}${lines.eol}${before}` };
  return { from: statement.from, to: statement.from, insert: `${code}; ` };
}

/**
 * On which paths the bad facts hold: all that reach the operation, some, or only those on
 * which an exception propagates through a `finally` or a `with` exit (`normal` holds the facts
 * that reach it otherwise; see `Observation.normalFacts`).
 */
export function badPaths(all: readonly Fact[], normal: readonly Fact[], bad: (fact: Fact) => boolean): 'every' | 'some' | 'exceptional' {
  if (all.every(bad)) return 'every';
  return normal.some(bad) ? 'some' : 'exceptional';
}

/** `badPaths` as a clause to append to a message. */
export function pathClause(paths: 'every' | 'some' | 'exceptional'): string {
  if (paths === 'every') return '';
  return paths === 'some' ? ' on some path' : ' when an exception propagates into this code';
}
