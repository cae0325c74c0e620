// The MP016 quick fix: read the stored value into a local name, change that, and store it back.
//
//     d[key].append(x)          d_key = d[key]
//                          →    d_key.append(x)
//                               d[key] = d_key
//
// Offered only when the statement is a simple one (expression, assignment, augmented
// assignment, `del`) alone on its lines, the change is evaluated in the statement's own scope,
// and the proxy and key are plain names, attributes or literals (reading them twice changes
// nothing). Note that read-modify-write is not atomic: processes writing the same key at the
// same time still need a lock.

import type { Expression, SourceFile } from '../../parser';
import { unparenthesize } from '../../parser';
import type { RuleFix } from '../rule';
import type { NestedMutation } from './nestedReads';

export const READ_MODIFY_WRITE_TITLE = 'Read, modify and store the value back';

export function readModifyWriteFix(source: SourceFile, mutation: NestedMutation): RuleFix | undefined {
  const { statement, nested } = mutation;
  if (!mutation.inStatementScope || nested.storeBack === undefined) return undefined;
  if (statement.kind !== 'Expression' && statement.kind !== 'Assign' && statement.kind !== 'AugAssign' && statement.kind !== 'Delete') {
    return undefined;
  }
  const { proxy, keys } = nested.storeBack;
  if (!isPlain(proxy) || !keys.every(isPlain)) return undefined;
  const lines = source.lines;
  const firstLine = lines.lineOf(statement.from);
  const lastLine = lines.lineOf(statement.to);
  const before = source.text.slice(lines.lineStart(firstLine), statement.from);
  const after = source.text.slice(statement.to, lines.lineEnd(lastLine));
  // Alone on its lines: nothing but indentation before it, nothing but a comment after it.
  if (before.trim() !== '' || !/^\s*(#.*)?$/.test(after)) return undefined;
  if (source.hasErrorWithin(statement)) return undefined;

  const text = (node: Expression): string => source.text.slice(node.from, node.to);
  const name = freshName(source.text, localName(proxy, keys));
  const storeTarget = storeBackText(source, nested.storeBack);
  const eol = lines.eol;
  return {
    title: READ_MODIFY_WRITE_TITLE,
    edits: [
      // One edit from the statement's start to the end of the read, so that no two edits touch.
      {
        from: statement.from,
        to: nested.read.to,
        insert: `${name} = ${text(nested.read)}${eol}${before}${source.text.slice(statement.from, nested.read.from)}${name}`,
      },
      { from: lines.lineEnd(lastLine), to: lines.lineEnd(lastLine), insert: `${eol}${before}${storeTarget} = ${name}` },
    ],
  };
}

/** `d[k]`, or the Namespace attribute itself. */
export function storeBackText(source: SourceFile, storeBack: NonNullable<NestedMutation['nested']['storeBack']>): string {
  const text = (node: Expression): string => source.text.slice(node.from, node.to);
  return storeBack.keys.length === 0 ? text(storeBack.proxy) : `${text(storeBack.proxy)}[${storeBack.keys.map(text).join(', ')}]`;
}

/** `scores["a"]` → `scores_a`, `rows[0]` → `rows_0`, `settings.items` → `settings_items`; else `entry`. */
export function localName(proxy: Expression, keys: readonly Expression[]): string {
  if (keys.length > 1) return 'entry';
  const parts = [proxy, ...keys].map(namePart);
  if (parts.some((part) => part === undefined)) return 'entry';
  const name = parts.join('_');
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name) ? name : 'entry';
}

function namePart(expression: Expression): string | undefined {
  const node = unparenthesize(expression);
  switch (node.kind) {
    case 'Name':
      return node.name;
    case 'Attribute':
      return node.name === undefined ? undefined : `${namePart(node.object) ?? ''}_${node.name.name}`.replace(/^_/, '');
    case 'String':
      return node.value !== undefined && /^[A-Za-z0-9_]+$/.test(node.value) ? node.value : undefined;
    case 'Number':
      return /^[0-9]+$/.test(node.text) ? node.text : undefined;
    default:
      return undefined;
  }
}

const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/** Names, dotted names and literals: evaluating them again has no effect and gives the same value. */
function isPlain(expression: Expression): boolean {
  const node = unparenthesize(expression);
  switch (node.kind) {
    case 'Name':
    case 'Number':
    case 'Constant':
      return true;
    case 'String':
      return node.interpolations.length === 0;
    case 'Attribute':
      return node.name !== undefined && isPlain(node.object);
    case 'Unary':
      return node.operator === '-' && unparenthesize(node.operand).kind === 'Number';
    default:
      return false;
  }
}

/** `base`, or `base_2`, `base_3`… — the first that does not occur as a word anywhere in the file. */
function freshName(text: string, base: string): string {
  for (let index = 1; ; index++) {
    const candidate = index === 1 ? base : `${base}_${index}`;
    if (!new RegExp(`\\b${candidate}\\b`).test(text)) return candidate;
  }
}
