// Visits all the code of a module — function bodies, lambdas and comprehensions included —
// together with the scope each piece of it runs in. Unlike `visitExecutedCode` (what runs on
// import), this is for rules about the shape of calls and statements wherever they are.
// Statements the parser could not place (an unexpected indent) are visited in the scope around
// them: the shape of a call does not depend on where it runs.

import type { Block, CallExpression, Expression, Statement } from '../parser';
import { statementBlocks, statementExpressions, walkExpression } from '../parser';
import type { Scope, ScopeTree } from './scopes';

export interface ScopedVisitor {
  /** Every statement, outer before inner. */
  statement?(statement: Statement, scope: Scope): void;
  /** Every call, outer calls before the calls in their arguments. */
  call?(call: CallExpression, scope: Scope): void;
}

/**
 * One visit: a statement or a call (`isCall`), with its scope. Recorded once per scope tree, so
 * that the many rules and analyses that walk the whole module replay a flat list instead of
 * walking the syntax tree again (the walk was most of the lint time).
 */
interface Visit {
  readonly isCall: boolean;
  readonly node: Statement | CallExpression;
  readonly scope: Scope;
}

const recordedWalks = new WeakMap<ScopeTree, readonly Visit[]>();

export function walkWithScopes(scopes: ScopeTree, visitor: ScopedVisitor): void {
  let visits = recordedWalks.get(scopes);
  if (visits === undefined) {
    const recorded: Visit[] = [];
    new ScopedWalker(scopes, {
      statement: (statement, scope) => recorded.push({ isCall: false, node: statement, scope }),
      call: (call, scope) => recorded.push({ isCall: true, node: call, scope }),
    }).block(scopes.module.body, scopes.moduleScope);
    recordedWalks.set(scopes, recorded);
    visits = recorded;
  }
  const { statement, call } = visitor;
  for (const visit of visits) {
    if (visit.isCall) call?.call(visitor, visit.node as CallExpression, visit.scope);
    else statement?.call(visitor, visit.node as Statement, visit.scope);
  }
}

class ScopedWalker {
  constructor(
    private readonly scopes: ScopeTree,
    private readonly visitor: ScopedVisitor,
  ) {}

  block(block: Block, scope: Scope): void {
    for (const statement of block.statements) this.statement(statement, scope);
  }

  private statement(statement: Statement, scope: Scope): void {
    this.visitor.statement?.(statement, scope);
    if (statement.kind === 'Error') {
      for (const expression of statement.expressions) this.expression(expression, scope);
      for (const inner of statement.statements) this.statement(inner, scope);
      return;
    }
    for (const expression of statementExpressions(statement)) this.expression(expression, scope);
    const inner =
      statement.kind === 'FunctionDef' || statement.kind === 'ClassDef' ? (this.scopes.scopeOf(statement) ?? scope) : scope;
    for (const nested of statementBlocks(statement)) this.block(nested, inner);
  }

  private expression(root: Expression, scope: Scope): void {
    walkExpression(root, (node) => {
      switch (node.kind) {
        case 'Call':
          this.visitor.call?.(node, scope);
          return true;
        case 'Lambda': {
          for (const parameter of node.parameters) {
            if (parameter.defaultValue) this.expression(parameter.defaultValue, scope);
          }
          this.expression(node.body, this.scopes.scopeOf(node) ?? scope);
          return false;
        }
        case 'Comprehension': {
          const inner = this.scopes.scopeOf(node) ?? scope;
          node.clauses.forEach((clause, index) => {
            if (clause.target) this.expression(clause.target, inner);
            this.expression(clause.expression, index === 0 ? scope : inner);
          });
          this.expression(node.element, inner);
          if (node.value) this.expression(node.value, inner);
          return false;
        }
        default:
          return true;
      }
    });
  }
}
