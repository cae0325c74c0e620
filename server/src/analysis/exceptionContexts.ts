// `with` blocks whose context manager catches what the body raises, known by the name of the call:
// a test's `self.assertRaises(...)` / `pytest.raises(...)`, which expect the exception, and
// `contextlib.suppress(...)`, which swallows it. The control flow uses both (the code after the
// block runs even when the body raised); rules use the first to stay quiet where failing is the
// point.

import type { Expression } from '../parser';
import { unparenthesize } from '../parser';

const EXPECTING: ReadonlySet<string> = new Set(['assertRaises', 'assertRaisesRegex', 'assertRaisesRegexp', 'raises']);

/** The name a `with` item's context manager is called by (`f` of `f(...)` or `x.f(...)`). */
function contextCallName(context: Expression): string | undefined {
  const node = unparenthesize(context);
  if (node.kind !== 'Call') return undefined;
  const callee = unparenthesize(node.callee);
  return callee.kind === 'Name' ? callee.name : callee.kind === 'Attribute' ? callee.name?.name : undefined;
}

/** `with self.assertRaises(...)`, `with pytest.raises(...)` and the like: the body is meant to raise. */
export function expectsException(context: Expression): boolean {
  const name = contextCallName(context);
  return name !== undefined && EXPECTING.has(name);
}

/** The body's exceptions stop at this `with` (expected by a test, or `suppress`ed). */
export function catchesException(context: Expression): boolean {
  const name = contextCallName(context);
  return name !== undefined && (EXPECTING.has(name) || name === 'suppress');
}
