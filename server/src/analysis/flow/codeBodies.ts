// The code bodies of a module that control flow is modelled for: the module's own statements,
// every function's and every class body's. Lambdas and comprehensions are expressions inside
// one of these.

import type { Block, ClassDefinition, FunctionDefinition, Module } from '../../parser';
import { factKey, type ModuleUnit } from '../moduleUnits';
import type { Scope, ScopeTree } from '../scopes';

export interface CodeBody {
  readonly owner: Module | FunctionDefinition | ClassDefinition;
  readonly block: Block;
  /** The scope the body's names live in. */
  readonly scope: Scope;
}

const UNIT_BODIES = factKey<readonly CodeBody[]>('code bodies');

/** Every body, outer before inner, in source order within each scope. */
export function codeBodies(scopes: ScopeTree): CodeBody[] {
  const module = scopes.moduleScope.owner as Module;
  const bodies: CodeBody[] = [{ owner: module, block: module.body, scope: scopes.moduleScope }];
  for (const unit of scopes.units) bodies.push(...unitBodies(unit));
  return bodies;
}

/** The function and class bodies of one unit, outer before inner (the same objects every time). */
export function unitBodies(unit: ModuleUnit): readonly CodeBody[] {
  return unit.syntax(UNIT_BODIES, () => {
    const bodies: CodeBody[] = [];
    const visit = (scope: Scope): void => {
      if (scope.kind === 'function' || scope.kind === 'class') {
        const definition = scope.owner as FunctionDefinition | ClassDefinition;
        bodies.push({ owner: definition, block: definition.body, scope });
      }
      for (const child of scope.children) visit(child);
    };
    for (const child of unit.scopes.children) visit(child);
    return bodies;
  });
}
