// What a callable argument is (for targets and tasks): a module-level function, a method, a
// function local to another function, a lambda, or `functools.partial` of one of those; and
// whether a call's result can never be callable (for `target=f(x)`).

import type { CallExpression, ClassDefinition, Expression, FunctionDefinition, LambdaExpression, Statement } from '../parser';
import { statementBlocks, unparenthesize } from '../parser';
import type { ObjectFlow } from './objectFlow';
import { containsYield } from './processStarts';
import type { Resolver } from './resolver';
import type { Scope, ScopeTree } from './scopes';
import { NON_CALLABLE_RESULTS } from './stdlib/objectApi';

export type CallableInfo =
  | { readonly kind: 'lambda'; readonly lambda: LambdaExpression; readonly partial: boolean }
  /** A def nested in a function (its qualified name contains `<locals>`). */
  | { readonly kind: 'local-function'; readonly definition: FunctionDefinition; readonly partial: boolean }
  /** A def at module level or a method: picklable by reference. */
  | { readonly kind: 'function'; readonly definition: FunctionDefinition; readonly partial: boolean };

export class CallableAnalysis {
  constructor(
    private readonly scopes: ScopeTree,
    private readonly resolver: Resolver,
    private readonly objects: ObjectFlow,
  ) {}

  /** What `expression`, used as a function to run, is; undefined when unknown. */
  describe(expression: Expression, scope: Scope, partial = false, depth = 0): CallableInfo | undefined {
    if (depth > 20) return undefined;
    const node = unparenthesize(expression);
    if (node.kind === 'Lambda') return { kind: 'lambda', lambda: node, partial };
    if (node.kind === 'Call') {
      if (this.objects.calleeName(node.callee, scope) !== 'functools.partial') return undefined;
      const first = node.args[0];
      return first?.kind === 'Positional' ? this.describe(first.value, scope, true, depth + 1) : undefined;
    }
    const value = this.resolver.resolve(node, scope);
    if (value?.kind === 'function') {
      return this.isLocal(value.definition)
        ? { kind: 'local-function', definition: value.definition, partial }
        : { kind: 'function', definition: value.definition, partial };
    }
    if (value?.kind === 'method') return { kind: 'function', definition: value.definition, partial };
    if (value !== undefined || node.kind !== 'Name') return undefined;
    // A name bound (everywhere it is bound) to lambdas: `square = lambda x: x * x`.
    const origins = this.objects.origins(node, scope);
    if (origins === undefined || origins.some((origin) => origin.entered || origin.expression.kind !== 'Lambda')) return undefined;
    const lambda = origins[0].expression as LambdaExpression;
    return { kind: 'lambda', lambda, partial };
  }

  /** Defined inside a function or lambda (at any depth): pickle cannot find it by name. */
  isLocal(definition: FunctionDefinition | ClassDefinition): boolean {
    for (let scope = this.scopes.scopeOf(definition)?.parent; scope; scope = scope.parent) {
      if (scope.kind === 'function' || scope.kind === 'lambda') return true;
    }
    return false;
  }

  /** The function whose body a target or task runs, through `functools.partial`. */
  functionRun(expression: Expression, scope: Scope): FunctionDefinition | undefined {
    const info = this.describe(expression, scope);
    return info === undefined || info.kind === 'lambda' ? undefined : info.definition;
  }

  /**
   * Whether `call` certainly returns something that is not callable: a module function or method
   * whose every `return` gives a literal, a display or an operator result (or that returns
   * nothing, or is a generator), a builtin such as `print`, or an instance of a module class
   * without `__call__`.
   */
  resultIsNeverCallable(call: CallExpression, scope: Scope): boolean {
    const name = this.objects.calleeName(call.callee, scope);
    if (name !== undefined && NON_CALLABLE_RESULTS.has(name)) return true;
    const value = this.resolver.resolve(call.callee, scope);
    if (value?.kind === 'function' || value?.kind === 'method') {
      if (value.definition.decorators.length > 0) return false;
      if (containsYield(value.definition.body)) return true;
      return returnedValues(value.definition).every((returned) => returned === undefined || isPlainValue(returned));
    }
    if (value?.kind === 'class') return this.instancesNeverCallable(value.definition, new Set());
    return false;
  }

  private instancesNeverCallable(definition: ClassDefinition, seen: Set<ClassDefinition>): boolean {
    if (seen.has(definition) || definition.decorators.length > 0) return false;
    seen.add(definition);
    const classScope = this.scopes.scopeOf(definition);
    if (classScope === undefined || classScope.bindings.has('__call__') || classScope.bindings.has('__new__')) return false;
    const scope = this.resolver.definingScope(definition);
    for (const base of definition.bases) {
      if (base.kind !== 'Positional' || scope === undefined) return false;
      const value = this.resolver.resolve(base.value, scope);
      if (value?.kind === 'class') {
        if (!this.instancesNeverCallable(value.definition, seen)) return false;
      } else if (this.objects.builtinName(base.value, scope) !== 'object') {
        return false;
      }
    }
    return true;
  }
}

/** The values of a function's own `return` statements (undefined for a bare `return`). */
function returnedValues(definition: FunctionDefinition): (Expression | undefined)[] {
  const found: (Expression | undefined)[] = [];
  const visit = (statements: readonly Statement[]): void => {
    for (const statement of statements) {
      if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') continue;
      if (statement.kind === 'Return') found.push(statement.value);
      if (statement.kind === 'Error') visit(statement.statements);
      for (const block of statementBlocks(statement)) visit(block.statements);
    }
  };
  visit(definition.body.statements);
  return found;
}

/** Expressions whose value is never callable, whatever the names in them hold. */
function isPlainValue(expression: Expression): boolean {
  const node = unparenthesize(expression);
  switch (node.kind) {
    case 'Number':
    case 'String':
    case 'Constant':
    case 'Tuple':
    case 'List':
    case 'Set':
    case 'Dict':
    case 'Comprehension':
      return true;
    case 'Unary':
      return true;
    case 'Binary':
      // `a or b` / `a and b` return an operand, which may be anything.
      return node.operator !== 'or' && node.operator !== 'and';
    default:
      return false;
  }
}
