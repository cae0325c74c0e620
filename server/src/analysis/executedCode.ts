// Walks the code that runs when a block runs: for a module body, what runs on import; for a
// function body, what runs when it is called. Function and lambda bodies are skipped (they run
// later, if ever), class bodies are entered (they run at definition), branches that only run
// under `if __name__ == "__main__":` are skipped, and statements whose place in the program
// the parser could not determine are skipped too.

import type { Block, CallExpression, Expression, Statement, WithItem } from '../parser';
import { statementBlocks, statementExpressions } from '../parser';
import { forEachExpressionChild } from '../parser/visit';
import { factKey } from './moduleUnits';
import { mainGuardBranches } from './mainGuard';
import type { Scope, ScopeTree } from './scopes';

export interface ExecutedCodeVisitor {
  /** A call evaluated in `scope`. Outer calls come before the calls in their arguments. */
  call(call: CallExpression, scope: Scope): void;
  /** A `with` item's context manager being entered (after its expression was evaluated). */
  enter?(item: WithItem, scope: Scope): void;
}

/**
 * The visits of one block, in order: a call (`kind === 'Call'`) or a `with` item entered, with
 * its scope. Recorded once (several rules walk the module body, and the lifecycle of every
 * function called at import time is followed through its body): per unit for the module body,
 * per block for function bodies.
 */
interface RecordedVisits {
  readonly scope: Scope;
  readonly nodes: readonly (CallExpression | WithItem)[];
  readonly scopes: readonly Scope[];
}

const MODULE_LEVEL_VISITS = factKey<RecordedVisits>('executed at module level');
const recordedBlocks = new WeakMap<Block, RecordedVisits>();

export function visitExecutedCode(block: Block, scope: Scope, scopes: ScopeTree, visitor: ExecutedCodeVisitor): void {
  if (block === scopes.module.body && scope === scopes.moduleScope) {
    for (const unit of scopes.units) {
      replay(unit.syntax(MODULE_LEVEL_VISITS, () => record([unit.statement], scope, scopes)), visitor);
    }
    return;
  }
  let recorded = recordedBlocks.get(block);
  if (recorded === undefined || recorded.scope !== scope) {
    recorded = record(block.statements, scope, scopes);
    recordedBlocks.set(block, recorded);
  }
  replay(recorded, visitor);
}

function record(statements: readonly Statement[], scope: Scope, scopes: ScopeTree): RecordedVisits {
  const walker = new ExecutedCodeWalker(scopes);
  for (const statement of statements) walker.statement(statement, scope);
  return { scope, nodes: walker.nodes, scopes: walker.scopes };
}

function replay(recorded: RecordedVisits, visitor: ExecutedCodeVisitor): void {
  const { nodes, scopes } = recorded;
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index];
    if ('kind' in node) visitor.call(node, scopes[index]);
    else visitor.enter?.(node, scopes[index]);
  }
}

class ExecutedCodeWalker {
  readonly nodes: (CallExpression | WithItem)[] = [];
  readonly scopes: Scope[] = [];

  constructor(private readonly tree: ScopeTree) {}

  block(block: Block, scope: Scope): void {
    for (const statement of block.statements) this.statement(statement, scope);
  }

  statement(statement: Statement, scope: Scope): void {
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
        const classScope = this.tree.scopeOf(statement);
        if (classScope) this.block(statement.body, classScope);
        return;
      }
      case 'With':
        for (const item of statement.items) {
          this.expression(item.context, scope);
          this.nodes.push(item);
          this.scopes.push(scope);
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

  /** Depth-first in source order, outer calls before the calls in their arguments. */
  private expression(node: Expression, scope: Scope): void {
    switch (node.kind) {
      case 'Call':
        this.nodes.push(node);
        this.scopes.push(scope);
        forEachExpressionChild(node, (child) => this.expression(child, scope));
        return;
      case 'Lambda':
        for (const parameter of node.parameters) if (parameter.defaultValue) this.expression(parameter.defaultValue, scope);
        return;
      case 'Comprehension':
        this.tree.forEachComprehensionPart(node, scope, (part, partScope) => this.expression(part, partScope));
        return;
      default:
        forEachExpressionChild(node, (child) => this.expression(child, scope));
    }
  }
}
