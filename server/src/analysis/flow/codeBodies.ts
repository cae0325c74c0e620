// The code bodies of a module that control flow is modelled for: the module's own statements,
// every function's and every class body's. Lambdas and comprehensions are expressions inside
// one of these.

import type { Block, ClassDefinition, FunctionDefinition, Module } from '../../parser';
import type { Scope, ScopeTree } from '../scopes';

export interface CodeBody {
  readonly owner: Module | FunctionDefinition | ClassDefinition;
  readonly block: Block;
  /** The scope the body's names live in. */
  readonly scope: Scope;
}

/** Every body, outer before inner, in source order within each scope. */
export function codeBodies(scopes: ScopeTree): CodeBody[] {
  const bodies: CodeBody[] = [];
  const visit = (scope: Scope): void => {
    const owner = scope.owner;
    if (scope.kind === 'module') bodies.push({ owner: owner as Module, block: (owner as Module).body, scope });
    else if (scope.kind === 'function' || scope.kind === 'class') {
      const definition = owner as FunctionDefinition | ClassDefinition;
      bodies.push({ owner: definition, block: definition.body, scope });
    }
    for (const child of scope.children) visit(child);
  };
  visit(scopes.moduleScope);
  return bodies;
}
