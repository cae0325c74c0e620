// Recognises the calls that create tracked objects (`mp.Pool(4)`, `ctx.Process(...)`,
// `ProcessPoolExecutor()`, `Queue()`, `Pipe()`, a module class derived from Process…), through
// the resolver: a callee that does not resolve is not a creation.

import type { CallExpression, ClassDefinition } from '../../parser';
import type { Resolver } from '../resolver';
import type { Scope } from '../scopes';
import { LIFECYCLE_METHODS, TRACKED_CONSTRUCTORS, type TrackedKind } from './trackedApi';

export interface TrackedCreation {
  readonly kind: TrackedKind;
  readonly className: string;
  readonly subclass: ClassDefinition | undefined;
  /** The call returns two objects (`Pipe()`). */
  readonly pair: boolean;
}

export function trackedCreation(call: CallExpression, scope: Scope, resolver: Resolver): TrackedCreation | undefined {
  const callee = resolver.resolve(call.callee, scope);
  if (callee?.kind === 'qualified') {
    const constructor = TRACKED_CONSTRUCTORS.get(callee.name);
    return constructor ? { kind: constructor.kind, className: callee.name, subclass: undefined, pair: constructor.pair === true } : undefined;
  }
  if (callee?.kind !== 'class') return undefined;
  const base = resolver.apiBase(callee.definition);
  const kind = base?.info.kind;
  if (kind !== 'process' && kind !== 'pool' && kind !== 'executor') return undefined;
  // A subclass that redefines what the analysis relies on (its own `start`, `close`…) is unknown.
  if (bindsAny(callee.definition, LIFECYCLE_METHODS[kind], resolver, new Set())) return undefined;
  return { kind, className: callee.definition.name.name, subclass: callee.definition, pair: false };
}

/** Whether the class or one of its module-defined bases binds one of `names`. */
export function bindsAny(definition: ClassDefinition, names: readonly string[], resolver: Resolver, seen: Set<ClassDefinition>): boolean {
  if (seen.has(definition)) return false;
  seen.add(definition);
  const scope = resolver.scopes.scopeOf(definition);
  if (scope && names.some((name) => scope.bindings.has(name))) return true;
  const outer = resolver.definingScope(definition);
  if (outer === undefined) return false;
  return definition.bases.some((base) => {
    if (base.kind !== 'Positional') return false;
    const value = resolver.resolve(base.value, outer);
    return value?.kind === 'class' && bindsAny(value.definition, names, resolver, seen);
  });
}
