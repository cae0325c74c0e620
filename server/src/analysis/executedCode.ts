// Walks the code that runs when a block runs: for a module body, what runs on import; for a
// function body, what runs when it is called. Function and lambda bodies are skipped (they run
// later, if ever), class bodies are entered (they run at definition), branches that only run
// under `if __name__ == "__main__":` are skipped, and statements whose place in the program
// the parser could not determine are skipped too.

import type { Block, CallExpression, Expression, Statement, WithItem } from '../parser';
import { statementBlocks, statementExpressions, walkExpression } from '../parser';
import { mainGuardBranches } from './mainGuard';
import type { Scope, ScopeTree } from './scopes';

export interface ExecutedCodeVisitor {
  /** A call evaluated in `scope`. Outer calls come before the calls in their arguments. */
  call(call: CallExpression, scope: Scope): void;
  /** A `with` item's context manager being entered (after its expression was evaluated). */
  enter?(item: WithItem, scope: Scope): void;
}

/** One visit: a call, or a `with` item entered; recorded once per block (several rules walk the module body). */
interface Visit {
  readonly call: CallExpression | undefined;
  readonly item: WithItem | undefined;
  readonly scope: Scope;
}

const recordedWalks = new WeakMap<ScopeTree, Map<Block, { readonly scope: Scope; readonly visits: readonly Visit[] }>>();

export function visitExecutedCode(block: Block, scope: Scope, scopes: ScopeTree, visitor: ExecutedCodeVisitor): void {
  let byBlock = recordedWalks.get(scopes);
  if (byBlock === undefined) {
    byBlock = new Map();
    recordedWalks.set(scopes, byBlock);
  }
  let recorded = byBlock.get(block);
  if (recorded === undefined || recorded.scope !== scope) {
    const visits: Visit[] = [];
    new ExecutedCodeWalker(scopes, {
      call: (call, callScope) => visits.push({ call, item: undefined, scope: callScope }),
      enter: (item, itemScope) => visits.push({ call: undefined, item, scope: itemScope }),
    }).block(block, scope);
    recorded = { scope, visits };
    byBlock.set(block, recorded);
  }
  for (const visit of recorded.visits) {
    if (visit.call !== undefined) visitor.call(visit.call, visit.scope);
    else if (visit.item !== undefined) visitor.enter?.(visit.item, visit.scope);
  }
}

class ExecutedCodeWalker {
  constructor(
    private readonly scopes: ScopeTree,
    private readonly visitor: ExecutedCodeVisitor,
  ) {}

  block(block: Block, scope: Scope): void {
    for (const statement of block.statements) this.statement(statement, scope);
  }

  private statement(statement: Statement, scope: Scope): void {
    switch (statement.kind) {
      case 'If': {
        this.expression(statement.test, scope);
        const guard = mainGuardBranches(statement.test);
        if (!guard.bodyRunsOnlyAsMain) this.block(statement.body, scope);
        if (statement.orElse && !guard.orElseRunsOnlyAsMain) this.block(statement.orElse, scope);
        return;
      }
      case 'FunctionDef':
        // Decorators, defaults and annotations run now; the body runs when called.
        for (const expression of statementExpressions(statement)) this.expression(expression, scope);
        return;
      case 'ClassDef': {
        for (const expression of statementExpressions(statement)) this.expression(expression, scope);
        const classScope = this.scopes.scopeOf(statement);
        if (classScope) this.block(statement.body, classScope);
        return;
      }
      case 'With':
        for (const item of statement.items) {
          this.expression(item.context, scope);
          this.visitor.enter?.(item, scope);
          if (item.target) this.expression(item.target, scope);
        }
        this.block(statement.body, scope);
        return;
      case 'Error':
        return;
      default:
        for (const expression of statementExpressions(statement)) this.expression(expression, scope);
        for (const nested of statementBlocks(statement)) this.block(nested, scope);
    }
  }

  private expression(root: Expression, scope: Scope): void {
    walkExpression(root, (node) => {
      switch (node.kind) {
        case 'Call':
          this.visitor.call(node, scope);
          return true;
        case 'Lambda':
          for (const parameter of node.parameters) {
            if (parameter.defaultValue) this.expression(parameter.defaultValue, scope);
          }
          return false;
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
