// A fast walk over the calls a code body evaluates itself, in comprehensions too, but not in
// nested functions, lambdas or classes. It visits every expression of the module once, so it
// avoids the allocating generic traversal: no arrays per node, one switch per expression.

import type { Expression, Statement } from '../../parser';
import { statementBlocks, statementExpressions } from '../../parser';
import type { CodeBody } from '../flow';
import type { Scope, ScopeTree } from '../scopes';

export type CallVisitor = (call: Expression & { kind: 'Call' }, scope: Scope) => void;

/**
 * Visits the calls of `body`'s own code. With `within` (sorted offsets), only code whose span
 * contains one of them is walked: the callers know where the calls they care about start.
 */
export function forEachOwnCall(body: CodeBody, scopes: ScopeTree, visit: CallVisitor, within?: readonly number[]): void {
  const relevant = (node: { from: number; to: number }): boolean => within === undefined || containsOffset(within, node.from, node.to);
  const expression = (node: Expression, scope: Scope): void => {
    if (!relevant(node)) return;
    switch (node.kind) {
      case 'Call':
        visit(node, scope);
        expression(node.callee, scope);
        for (const argument of node.args) expression(argument.value, scope);
        return;
      case 'Attribute':
        expression(node.object, scope);
        return;
      case 'Subscript':
        expression(node.object, scope);
        for (const index of node.indices) expression(index, scope);
        return;
      case 'Slice':
        if (node.lower) expression(node.lower, scope);
        if (node.upper) expression(node.upper, scope);
        if (node.step) expression(node.step, scope);
        return;
      case 'String':
        for (const inner of node.interpolations) expression(inner, scope);
        return;
      case 'Tuple':
      case 'List':
      case 'Set':
        for (const element of node.elements) expression(element, scope);
        return;
      case 'Dict':
        for (const entry of node.entries) {
          if (entry.key) expression(entry.key, scope);
          expression(entry.value, scope);
        }
        return;
      case 'Comprehension': {
        const inner = scopes.scopeOf(node) ?? scope;
        node.clauses.forEach((clause, index) => {
          if (clause.target) expression(clause.target, inner);
          expression(clause.expression, index === 0 ? scope : inner);
        });
        expression(node.element, inner);
        if (node.value) expression(node.value, inner);
        return;
      }
      case 'Lambda':
        // Only the defaults run here; the body runs when the lambda is called.
        for (const parameter of node.parameters) if (parameter.defaultValue) expression(parameter.defaultValue, scope);
        return;
      case 'Binary':
        expression(node.left, scope);
        expression(node.right, scope);
        return;
      case 'Unary':
        expression(node.operand, scope);
        return;
      case 'Conditional':
        expression(node.body, scope);
        expression(node.test, scope);
        expression(node.orElse, scope);
        return;
      case 'Named':
        expression(node.value, scope);
        return;
      case 'Await':
      case 'Starred':
        expression(node.value, scope);
        return;
      case 'Yield':
        if (node.value) expression(node.value, scope);
        return;
      case 'Parenthesized':
        expression(node.inner, scope);
        return;
      default:
        return;
    }
  };
  const statement = (node: Statement): void => {
    if (!relevant(node)) return;
    if (node.kind === 'Error') {
      for (const inner of node.expressions) expression(inner, body.scope);
      node.statements.forEach(statement);
      return;
    }
    for (const inner of statementExpressions(node)) expression(inner, body.scope);
    if (node.kind === 'FunctionDef' || node.kind === 'ClassDef') return;
    for (const block of statementBlocks(node)) block.statements.forEach(statement);
  };
  body.block.statements.forEach(statement);
}

/** Whether some offset of the sorted list lies in [from, to). */
export function containsOffset(offsets: readonly number[], from: number, to: number): boolean {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (offsets[middle] < from) low = middle + 1;
    else high = middle;
  }
  return low < offsets.length && offsets[low] < to;
}
