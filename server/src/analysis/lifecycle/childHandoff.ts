// What a `Process(target=f, args=(...), kwargs={...})` hands to its child: the target function
// when it is defined in this module, which argument expression each of its parameters
// receives, which parameters the child puts into (a queue it fills), and which module-level
// shared resources (queues, pipes, locks) the target uses as globals.

import type { CallExpression, Expression, FunctionDefinition, Statement } from '../../parser';
import { statementBlocks, statementExpressions, unparenthesize, walkExpression } from '../../parser';
import type { Resolver } from '../resolver';
import type { Scope } from '../scopes';
import { trackedCreation } from './trackedCreations';
import { QUEUE_PUT_METHODS, SHARED_RESOURCE_KINDS, type TrackedKind } from './trackedApi';

export interface ChildHandoff {
  readonly definition: FunctionDefinition;
  /** Parameter name → the argument expression the child receives for it. */
  readonly parameterArguments: ReadonlyMap<string, Expression>;
}

/**
 * The target of a `Process(...)` call written with keywords (`target=`, `args=`, `kwargs=`),
 * when `target` resolves to a plain function of this module and `args`/`kwargs` are written
 * out as a tuple or list and a dict with string keys. Undefined otherwise.
 */
export function handoffToChild(call: CallExpression, scope: Scope, resolver: Resolver): ChildHandoff | undefined {
  let target: Expression | undefined;
  let args: Expression | undefined;
  let kwargs: Expression | undefined;
  for (const argument of call.args) {
    if (argument.kind === 'Positional' || argument.kind === 'Star' || argument.kind === 'DoubleStar') return undefined;
    if (argument.kind !== 'Keyword') continue;
    if (argument.name.name === 'target') target = argument.value;
    else if (argument.name.name === 'args') args = argument.value;
    else if (argument.name.name === 'kwargs') kwargs = argument.value;
  }
  if (target === undefined) return undefined;
  const value = resolver.resolve(target, scope);
  if (value?.kind !== 'function') return undefined;
  const definition = value.definition;
  const parameterArguments = new Map<string, Expression>();
  const positional = positionalParameters(definition);
  if (args !== undefined) {
    const node = unparenthesize(args);
    if (node.kind !== 'Tuple' && node.kind !== 'List') return undefined;
    let index = 0;
    for (const element of node.elements) {
      if (element.kind === 'Starred') return undefined;
      const parameter = positional[index++];
      if (parameter?.name) parameterArguments.set(parameter.name.name, element);
    }
  }
  if (kwargs !== undefined) {
    const node = unparenthesize(kwargs);
    if (node.kind !== 'Dict') return undefined;
    for (const entry of node.entries) {
      if (entry.key === undefined) return undefined;
      const key = unparenthesize(entry.key);
      if (key.kind === 'String' && key.value !== undefined) parameterArguments.set(key.value, entry.value);
    }
  }
  return { definition, parameterArguments };
}

/** Parameters that positional arguments fill, in order (up to a bare `*` or `*args`). */
function positionalParameters(definition: FunctionDefinition): FunctionDefinition['parameters'][number][] {
  const out: FunctionDefinition['parameters'][number][] = [];
  for (const parameter of definition.parameters) {
    if (parameter.kind === 'star' || parameter.kind === 'varargs' || parameter.kind === 'kwargs') break;
    if (parameter.kind === 'positional' && parameter.name) out.push(parameter);
  }
  return out;
}

/** Parameters of `definition` on which its own code calls `put`/`put_nowait`. */
export function parametersPutInto(definition: FunctionDefinition): Set<string> {
  const parameters = new Set(definition.parameters.flatMap((parameter) => (parameter.name ? [parameter.name.name] : [])));
  const found = new Set<string>();
  forEachOwnExpression(definition, (node) => {
    if (node.kind !== 'Call') return;
    const callee = unparenthesize(node.callee);
    if (callee.kind !== 'Attribute' || !callee.name || !QUEUE_PUT_METHODS.has(callee.name.name)) return;
    const receiver = unparenthesize(callee.object);
    if (receiver.kind === 'Name' && parameters.has(receiver.name)) found.add(receiver.name);
  });
  return found;
}

export interface GlobalResource {
  readonly name: string;
  readonly kind: TrackedKind;
}

/**
 * Module-level names the target's own code reads that hold a queue, pipe end or lock: every
 * binding of the name at module level assigns one (`lock = mp.Lock()`), and the function does
 * not bind the name itself.
 */
export function globalSharedResources(definition: FunctionDefinition, resolver: Resolver): GlobalResource[] {
  const scope = resolver.scopes.scopeOf(definition);
  if (scope === undefined) return [];
  const moduleScope = scope.module;
  const found: GlobalResource[] = [];
  const seen = new Set<string>();
  forEachOwnExpression(definition, (node) => {
    if (node.kind !== 'Name' || seen.has(node.name)) return;
    seen.add(node.name);
    if (scope.lookup(node.name) !== moduleScope) return;
    const bindings = moduleScope.bindings.get(node.name) ?? [];
    let kind: TrackedKind | undefined;
    for (const binding of bindings) {
      if (binding.kind !== 'assignment' || binding.value === undefined) return;
      const value = unparenthesize(binding.value);
      if (value.kind !== 'Call') return;
      const creation = trackedCreation(value, moduleScope, resolver);
      if (creation === undefined || creation.pair || !SHARED_RESOURCE_KINDS.has(creation.kind)) return;
      kind = creation.kind;
    }
    if (kind !== undefined) found.push({ name: node.name, kind });
  });
  return found;
}

/** Every expression node in the function's own code (not in nested functions, lambdas or classes). */
function forEachOwnExpression(definition: FunctionDefinition, visit: (node: Expression) => void): void {
  const expression = (root: Expression): void =>
    walkExpression(root, (node) => {
      if (node.kind === 'Lambda') return false;
      visit(node);
      return true;
    });
  const statement = (node: Statement): void => {
    if (node.kind === 'FunctionDef' || node.kind === 'ClassDef') return;
    if (node.kind === 'Error') {
      node.expressions.forEach(expression);
      node.statements.forEach(statement);
      return;
    }
    statementExpressions(node).forEach(expression);
    for (const block of statementBlocks(node)) block.statements.forEach(statement);
  };
  definition.body.statements.forEach(statement);
}
