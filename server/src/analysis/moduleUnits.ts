// A module is analysed as a sequence of units, one per top-level statement. What the analyses
// learn about a unit is kept on it: facts of its syntax and scopes (valid as long as the
// statement object lives) and facts that depend on what names resolve to (valid until a
// statement they may depend on changes). The incremental parser re-uses the objects of
// unchanged top-level statements from one version of a document to the next, so an
// `AnalysisCache` kept with the document hands the same units, with their facts, to the next
// version's analysis and only the edited statements (and what depends on them) are analysed
// again. A module analysed without a cache gets a private one: one code path for both.

import type { Statement } from '../parser';
import { walkStatements } from '../parser';
import type { Binding, Scope, ScopeOwner, StarImport } from './scopes';

/**
 * A set of names, gathered over the whole module, that some facts consult besides name
 * resolution: the names of all defs (parameter flow examines only mentions of those), and the
 * names of all classes together with every `as` name of the text (the lifecycle analysis's
 * pre-selection of calls). When a name enters or leaves one of these sets, the facts that
 * consult it are dropped from the units that mention the name.
 */
export type NameFilter = 'defined functions' | 'classes and as names';

/** Identifies one kind of fact kept on units (`factKey<CallFacts>('calls')`). */
export interface FactKey<T> {
  readonly name: string;
  /** A name set (besides resolution) the fact depends on. */
  readonly filter: NameFilter | undefined;
  /** Only carries the type. */
  readonly type?: T;
}

export function factKey<T>(name: string, filter?: NameFilter): FactKey<T> {
  return { name, filter };
}

/** What building the scopes of one unit contributed to the module scope, so it can be replayed. */
export interface UnitScopes {
  /** Bindings made in the module scope (the unit's own code, and `global` names its functions bind), in order. */
  readonly moduleBindings: readonly (readonly [string, Binding])[];
  readonly starImports: readonly StarImport[];
  /** Scopes opened directly in the module scope, in order. */
  readonly children: readonly Scope[];
  /** Every def, class, lambda and comprehension of the unit, with its scope. */
  readonly owned: readonly (readonly [ScopeOwner, Scope])[];
}

export class ModuleUnit {
  /** Set when the unit's scopes are built. */
  scopes!: UnitScopes;
  private readonly syntaxFacts = new Map<FactKey<unknown>, unknown>();
  private resolvedFacts = new Map<FactKey<unknown>, unknown>();

  constructor(readonly statement: Statement) {}

  /** Visits the unit's statement and every statement nested in it, as `walkStatements` does. */
  walkStatements(visit: (statement: Statement) => boolean | void): void {
    const { from, to } = this.statement;
    walkStatements({ from, to, statements: [this.statement], inline: false, recovered: false }, visit);
  }

  /** A fact of the unit's own syntax and scopes, computed once. */
  syntax<T>(key: FactKey<T>, compute: () => T): T {
    return memo(this.syntaxFacts, key, compute);
  }

  /**
   * A fact that depends on what names used in the unit resolve to (through the module scope,
   * into other units), computed once until the unit is invalidated.
   */
  resolved<T>(key: FactKey<T>, compute: () => T): T {
    return memo(this.resolvedFacts, key, compute);
  }

  /** Forgets the facts that depend on name resolution. */
  invalidate(): void {
    if (this.resolvedFacts.size > 0) this.resolvedFacts = new Map();
  }

  /** Forgets the facts that consult `filter`. */
  forget(filter: NameFilter): void {
    for (const key of this.resolvedFacts.keys()) if (key.filter === filter) this.resolvedFacts.delete(key);
  }
}

function memo<T>(facts: Map<FactKey<unknown>, unknown>, key: FactKey<T>, compute: () => T): T {
  if (facts.has(key)) return facts.get(key) as T;
  const value = compute();
  facts.set(key, value);
  return value;
}
