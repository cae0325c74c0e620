// Follows one function body (or the module body) statement by statement and finds the
// `set_start_method(...)` calls, without `force=True`, that run when the start method has
// already been fixed on every path leading to them: by an earlier `set_start_method`, or by
// something that makes multiprocessing choose the default (`get_start_method()`, a no-argument
// `get_context()`, or creating a Queue, Lock, Pool, Manager… through the default context).
//
// A "must" analysis: after an `if` the method counts as fixed only when every branch that
// carries on fixed it; a loop may run zero times; an `except` handler starts from the state
// before its `try`; code in `and`/`or` right operands and conditional expressions may not run,
// so it is checked but does not fix anything. A call in a loop is not reported for its own
// second iteration (the loop may stop after one).

import type { ModuleAnalysis, Scope } from '../../analysis';
import { argumentValue, bindArgument } from '../../analysis';
import { EXECUTOR_PARAMETERS } from '../../analysis/stdlib/objectApi';
import type { Block, CallExpression, Expression, Statement } from '../../parser';
import { expressionChildren, statementExpressions, unparenthesize } from '../../parser';

/** What fixed the start method on every path to here. */
export interface Fixer {
  readonly call: CallExpression;
  readonly how: 'set' | 'default';
}

export interface RepeatedSet {
  readonly call: CallExpression;
  readonly after: Fixer;
}

/** `multiprocessing.X()` through the default context calls `get_context()`, which fixes the method. */
const DEFAULT_CONTEXT_FACTORIES: ReadonlySet<string> = new Set(
  [
    'Queue',
    'JoinableQueue',
    'SimpleQueue',
    'Lock',
    'RLock',
    'Semaphore',
    'BoundedSemaphore',
    'Event',
    'Condition',
    'Barrier',
    'Value',
    'Array',
    'Pool',
    'Manager',
  ].map((name) => `multiprocessing.${name}`),
);

interface Flow {
  readonly state: Fixer | undefined;
  /** No path continues after the block (return, raise, break, continue). */
  readonly terminated: boolean;
}

export class StartMethodPaths {
  readonly repeated: RepeatedSet[] = [];

  constructor(private readonly analysis: ModuleAnalysis) {}

  body(block: Block, scope: Scope): void {
    this.block(block, scope, undefined);
  }

  /** Whether `force=` is given and not literally False (then a repeated call is allowed). */
  static isForced(call: CallExpression): boolean {
    const force = argumentValue(call, ['method', 'force'], 'force');
    if (force === undefined) return false;
    const node = unparenthesize(force);
    return !(node.kind === 'Constant' && (node.value === 'False' || node.value === 'None'));
  }

  private block(block: Block, scope: Scope, state: Fixer | undefined): Flow {
    let current = state;
    for (const statement of block.statements) {
      const flow = this.statement(statement, scope, current);
      if (flow.terminated) return flow;
      current = flow.state;
    }
    return { state: current, terminated: false };
  }

  private statement(statement: Statement, scope: Scope, state: Fixer | undefined): Flow {
    switch (statement.kind) {
      case 'If': {
        const afterTest = this.expression(statement.test, scope, state);
        const body = this.block(statement.body, scope, afterTest);
        const orElse = statement.orElse ? this.block(statement.orElse, scope, afterTest) : { state: afterTest, terminated: false };
        return merge([body, orElse]);
      }
      case 'While': {
        const afterTest = this.expression(statement.test, scope, state);
        this.block(statement.body, scope, afterTest);
        if (statement.orElse) this.block(statement.orElse, scope, afterTest);
        return { state: afterTest, terminated: false };
      }
      case 'For': {
        const afterIterable = this.expression(statement.iterable, scope, state);
        this.block(statement.body, scope, afterIterable);
        if (statement.orElse) this.block(statement.orElse, scope, afterIterable);
        return { state: afterIterable, terminated: false };
      }
      case 'With': {
        let current = state;
        for (const item of statement.items) current = this.expression(item.context, scope, current);
        return this.block(statement.body, scope, current);
      }
      case 'Try': {
        const body = this.block(statement.body, scope, state);
        const completed = statement.orElse && !body.terminated ? this.block(statement.orElse, scope, body.state) : body;
        const handlers = statement.handlers.map((handler) => this.block(handler.body, scope, state));
        const merged = merge([completed, ...handlers]);
        if (!statement.finalBody) return merged;
        const final = this.block(statement.finalBody, scope, merged.terminated ? state : merged.state);
        return { state: final.state, terminated: final.terminated || merged.terminated };
      }
      case 'Match': {
        const afterSubject = this.expression(statement.subject, scope, state);
        const cases = statement.cases.map((matchCase) => this.block(matchCase.body, scope, afterSubject));
        return merge([...cases, { state: afterSubject, terminated: false }]);
      }
      case 'FunctionDef':
      case 'ClassDef': {
        // Decorators, defaults and bases run now; bodies are analysed on their own.
        let current = state;
        for (const expression of statementExpressions(statement)) current = this.expression(expression, scope, current);
        return { state: current, terminated: false };
      }
      case 'Return':
      case 'Raise': {
        let current = state;
        for (const expression of statementExpressions(statement)) current = this.expression(expression, scope, current);
        return { state: current, terminated: true };
      }
      case 'Break':
      case 'Continue':
        return { state, terminated: true };
      case 'Error':
        return { state, terminated: false };
      default: {
        let current = state;
        for (const expression of statementExpressions(statement)) current = this.expression(expression, scope, current);
        return { state: current, terminated: false };
      }
    }
  }

  /** Evaluates `root` (arguments before the call, left to right) and returns the state after it. */
  private expression(root: Expression, scope: Scope, state: Fixer | undefined): Fixer | undefined {
    let current = state;
    const visit = (node: Expression, certain: boolean, nodeScope: Scope): void => {
      switch (node.kind) {
        case 'Lambda':
          for (const parameter of node.parameters) if (parameter.defaultValue) visit(parameter.defaultValue, certain, nodeScope);
          return;
        case 'Binary':
          visit(node.left, certain, nodeScope);
          visit(node.right, certain && node.operator !== 'and' && node.operator !== 'or', nodeScope);
          return;
        case 'Conditional':
          visit(node.test, certain, nodeScope);
          visit(node.body, false, nodeScope);
          visit(node.orElse, false, nodeScope);
          return;
        case 'Comprehension': {
          const inner = this.analysis.scopes.scopeOf(node) ?? nodeScope;
          node.clauses.forEach((clause, index) => visit(clause.expression, certain && index === 0, index === 0 ? nodeScope : inner));
          visit(node.element, false, inner);
          if (node.value) visit(node.value, false, inner);
          return;
        }
        case 'Call':
          visit(node.callee, certain, nodeScope);
          for (const argument of node.args) visit(argument.value, certain, nodeScope);
          current = this.call(node, nodeScope, current, certain);
          return;
        default:
          for (const child of expressionChildren(node)) visit(child, certain, nodeScope);
      }
    };
    visit(root, true, scope);
    return current;
  }

  private call(call: CallExpression, scope: Scope, state: Fixer | undefined, certain: boolean): Fixer | undefined {
    const api = this.analysis.processApi;
    if (api.isSetStartMethod(call, scope)) {
      if (state !== undefined && !StartMethodPaths.isForced(call)) this.repeated.push({ call, after: state });
      return certain && state === undefined ? { call, how: 'set' } : state;
    }
    if (!certain || state !== undefined) return state;
    return this.fixesDefault(call, scope) ? { call, how: 'default' } : state;
  }

  private fixesDefault(call: CallExpression, scope: Scope): boolean {
    const value = this.analysis.processApi.calleeOf(call, scope);
    if (value?.kind !== 'qualified' || value.startMethod !== undefined) return false;
    if (DEFAULT_CONTEXT_FACTORIES.has(value.name)) return true;
    if (value.name === 'multiprocessing.get_context') return isNoneOrAbsent(argumentValue(call, ['method'], 'method'));
    if (value.name === 'multiprocessing.get_start_method') {
      const allowNone = argumentValue(call, ['allow_none'], 'allow_none');
      return allowNone === undefined || isLiteral(allowNone, 'False');
    }
    if (value.name === 'concurrent.futures.ProcessPoolExecutor') {
      // Without a context (and, from 3.11, without max_tasks_per_child) it calls get_context().
      const perChild = argumentValue(call, EXECUTOR_PARAMETERS, 'max_tasks_per_child');
      return bindArgument(call, EXECUTOR_PARAMETERS, 'mp_context').kind === 'absent' && (perChild === undefined || isLiteral(perChild, 'None'));
    }
    return false;
  }
}

function merge(flows: readonly Flow[]): Flow {
  const live = flows.filter((flow) => !flow.terminated);
  if (live.length === 0) return { state: undefined, terminated: true };
  return { state: live.every((flow) => flow.state !== undefined) ? live[0].state : undefined, terminated: false };
}

function isNoneOrAbsent(value: Expression | undefined): boolean {
  return value === undefined || isLiteral(value, 'None');
}

function isLiteral(value: Expression, constant: 'None' | 'True' | 'False'): boolean {
  const node = unparenthesize(value);
  return node.kind === 'Constant' && node.value === constant;
}
