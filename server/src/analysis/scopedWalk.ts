// Visits all the code of a module — function bodies, lambdas and comprehensions included —
// together with the scope each piece of it runs in. Unlike `visitExecutedCode` (what runs on
// import), this is for rules about the shape of calls and statements wherever they are.
// Statements the parser could not place (an unexpected indent) are visited in the scope around
// them: the shape of a call does not depend on where it runs.

import type { CallExpression, Expression, Statement } from '../parser';
import { forEachExpressionChild, statementBlocks, statementExpressions } from '../parser';
import { factKey, type ModuleUnit } from './moduleUnits';
import type { Scope, ScopeTree } from './scopes';

export interface ScopedVisitor {
  /** Every statement, outer before inner. */
  statement?(statement: Statement, scope: Scope): void;
  /** Every call, outer calls before the calls in their arguments. */
  call?(call: CallExpression, scope: Scope): void;
}

/**
 * The visits of one unit, in order: a statement or a call (`kind === 'Call'`) with its scope.
 * Recorded once per unit, so that the many rules and analyses that walk the whole module replay
 * flat lists instead of walking the syntax tree again (the walk was most of the lint time).
 */
export interface UnitVisits {
  readonly nodes: readonly (Statement | CallExpression)[];
  readonly scopes: readonly Scope[];
}

const VISITS = factKey<UnitVisits>('scoped visits');

export function walkWithScopes(scopes: ScopeTree, visitor: ScopedVisitor): void {
  for (const unit of scopes.units) walkUnit(unit, scopes, visitor);
}

/** `walkWithScopes` over one unit. */
export function walkUnit(unit: ModuleUnit, scopes: ScopeTree, visitor: ScopedVisitor): void {
  const { nodes, scopes: nodeScopes } = unitVisits(unit, scopes);
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index];
    if (node.kind === 'Call') visitor.call?.(node, nodeScopes[index]);
    else visitor.statement?.(node, nodeScopes[index]);
  }
}

/** The recorded visits of one unit (see `walkWithScopes`). */
export function unitVisits(unit: ModuleUnit, scopes: ScopeTree): UnitVisits {
  return unit.syntax(VISITS, () => {
    const walker = new ScopedWalker(scopes);
    walker.statement(unit.statement, scopes.moduleScope);
    return { nodes: walker.nodes, scopes: walker.scopes };
  });
}

class ScopedWalker {
  readonly nodes: (Statement | CallExpression)[] = [];
  readonly scopes: Scope[] = [];

  constructor(private readonly tree: ScopeTree) {}

  statement(statement: Statement, scope: Scope): void {
    this.nodes.push(statement);
    this.scopes.push(scope);
    if (statement.kind === 'Error') {
      for (const expression of statement.expressions) this.expression(expression, scope);
      for (const inner of statement.statements) this.statement(inner, scope);
      return;
    }
    for (const expression of statementExpressions(statement)) this.expression(expression, scope);
    const inner =
      statement.kind === 'FunctionDef' || statement.kind === 'ClassDef' ? (this.tree.scopeOf(statement) ?? scope) : scope;
    for (const nested of statementBlocks(statement)) for (const child of nested.statements) this.statement(child, inner);
  }

  /** Depth-first in source order, the calls in the order `walkExpression` meets them. */
  private expression(node: Expression, scope: Scope): void {
    switch (node.kind) {
      case 'Call':
        this.nodes.push(node);
        this.scopes.push(scope);
        forEachExpressionChild(node, (child) => this.expression(child, scope));
        return;
      case 'Lambda':
        for (const parameter of node.parameters) if (parameter.defaultValue) this.expression(parameter.defaultValue, scope);
        this.expression(node.body, this.tree.scopeOf(node) ?? scope);
        return;
      case 'Comprehension':
        this.tree.forEachComprehensionPart(node, scope, (part, partScope) => this.expression(part, partScope));
        return;
      default:
        forEachExpressionChild(node, (child) => this.expression(child, scope));
    }
  }
}
