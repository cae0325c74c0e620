// Which names of a body other code can reach: names that nested functions, lambdas and classes
// use and that resolve to the body's own scope (closures, or module globals read by functions).
// Built from the names each scope uses in its own code, resolved with Python's scope rules.

import type { Expression, Statement } from '../../parser';
import { statementBlocks, statementExpressions } from '../../parser';
import type { Scope } from '../scopes';

export class ScopeNames {
  private readonly own = new Map<Scope, ReadonlySet<string>>();
  private readonly captured = new Map<Scope, ReadonlySet<string>>();

  /**
   * Names used in `scope`'s code or in any scope nested in it that resolve to `target` (an
   * enclosing scope): what code in `scope` can read or rebind of `target`'s names.
   */
  namesReaching(scope: Scope, target: Scope): ReadonlySet<string> {
    const found = new Set<string>();
    const visit = (current: Scope): void => {
      for (const name of this.ownNames(current)) if (!found.has(name) && current.lookup(name) === target) found.add(name);
      for (const name of current.globalNames) if (target.kind === 'module') found.add(name);
      for (const name of current.nonlocalNames) if (current.lookup(name) === target || current.parent === target) found.add(name);
      for (const child of current.children) visit(child);
    };
    visit(scope);
    return found;
  }

  /** Names of `body` that code in its nested functions, lambdas and classes can reach, plus its `global`/`nonlocal` names. */
  capturedBy(body: Scope): ReadonlySet<string> {
    const known = this.captured.get(body);
    if (known) return known;
    const names = new Set<string>([...body.globalNames, ...body.nonlocalNames]);
    const visit = (scope: Scope): void => {
      for (const child of scope.children) {
        // A comprehension's code runs inline; what it nests may run later.
        if (child.kind === 'comprehension') visit(child);
        else for (const name of this.namesReaching(child, body)) names.add(name);
      }
    };
    visit(body);
    this.captured.set(body, names);
    return names;
  }

  /** Names used by the code that runs in `scope` itself (not in scopes nested in it). */
  ownNames(scope: Scope): ReadonlySet<string> {
    let names = this.own.get(scope);
    if (names) return names;
    const found = new Set<string>();
    collectOwnNames(scope, found);
    this.own.set(scope, found);
    names = found;
    return names;
  }
}

function collectOwnNames(scope: Scope, into: Set<string>): void {
  const expression = (node: Expression): void => {
    switch (node.kind) {
      case 'Name':
        into.add(node.name);
        return;
      case 'Lambda':
        for (const parameter of node.parameters) if (parameter.defaultValue) expression(parameter.defaultValue);
        return;
      case 'Comprehension': {
        const first = node.clauses[0];
        if (first) expression(first.expression);
        return;
      }
      case 'Attribute':
        expression(node.object);
        return;
      case 'Call':
        expression(node.callee);
        for (const argument of node.args) expression(argument.value);
        return;
      case 'Subscript':
        expression(node.object);
        node.indices.forEach(expression);
        return;
      case 'Slice':
        if (node.lower) expression(node.lower);
        if (node.upper) expression(node.upper);
        if (node.step) expression(node.step);
        return;
      case 'String':
        node.interpolations.forEach(expression);
        return;
      case 'Tuple':
      case 'List':
      case 'Set':
        node.elements.forEach(expression);
        return;
      case 'Dict':
        for (const entry of node.entries) {
          if (entry.key) expression(entry.key);
          expression(entry.value);
        }
        return;
      case 'Binary':
        expression(node.left);
        expression(node.right);
        return;
      case 'Unary':
        expression(node.operand);
        return;
      case 'Conditional':
        expression(node.body);
        expression(node.test);
        expression(node.orElse);
        return;
      case 'Named':
        into.add(node.target.name);
        expression(node.value);
        return;
      case 'Await':
      case 'Starred':
        expression(node.value);
        return;
      case 'Yield':
        if (node.value) expression(node.value);
        return;
      case 'Parenthesized':
        expression(node.inner);
        return;
      default:
        return;
    }
  };
  const statement = (node: Statement): void => {
    if (node.kind === 'Error') {
      node.expressions.forEach(expression);
      node.statements.forEach(statement);
      return;
    }
    statementExpressions(node).forEach(expression);
    if (node.kind === 'FunctionDef' || node.kind === 'ClassDef') {
      into.add(node.name.name);
      return;
    }
    for (const block of statementBlocks(node)) block.statements.forEach(statement);
  };
  const owner = scope.owner as { kind?: string };
  switch (scope.kind) {
    case 'module':
    case 'function':
    case 'class':
      (owner as { body: { statements: readonly Statement[] } }).body.statements.forEach(statement);
      return;
    case 'lambda':
      expression((owner as { body: Expression }).body);
      return;
    case 'comprehension': {
      const comprehension = owner as Expression & { kind: 'Comprehension' };
      comprehension.clauses.forEach((clause, index) => {
        if (clause.target) expression(clause.target);
        if (index > 0) expression(clause.expression);
      });
      expression(comprehension.element);
      if (comprehension.value) expression(comprehension.value);
      return;
    }
  }
}
