// What the lifecycle analysis knows at one program point: for each name (`pool`), attribute
// path (`self.pool`) or internal slot, which tracked objects it may hold and in which phase of
// their life each may be. Every fact stands for at least one path that reaches the point, so
// "some path" questions ("can `pool` still be running here?") are answered by looking for one
// fact.

import type { CallExpression, ClassDefinition, Expression, Span } from '../../parser';
import type { CodeBody } from '../flow';
import type { Scope } from '../scopes';
import type { TrackedKind } from './trackedApi';

/** Where an object is in its life. Each kind uses its own subset. */
export type Phase =
  /** pool, executor: accepts work. */
  | 'running'
  /** pool: `close()` was called. */
  | 'closed'
  /** pool: `terminate()` was called. */
  | 'terminated'
  /** executor: `shutdown()` was called. */
  | 'shutdown'
  /** pool, executor: the `with` block that managed it has ended (Pool: terminated; executor: shut down). */
  | 'exited'
  /** process: constructed, not started. */
  | 'created'
  /** process: `start()` was called. */
  | 'started'
  /** process: `join()` without a timeout returned, so the child has ended. */
  | 'joined'
  /** queue, connection, lock: nothing the analysis follows has happened. */
  | 'idle'
  /** queue: a started child puts into it and the parent has not taken anything out since. */
  | 'filling'
  /** queue: the parent took items out. */
  | 'drained'
  /** Code the analysis cannot see (a call it was passed to, a nested function) may have changed it. */
  | 'unknown';

/** One object made at one creation site of a body (a site in a loop stands for all its objects). */
export interface TrackedObject {
  readonly id: number;
  readonly kind: TrackedKind;
  /** The creating call. */
  readonly site: CallExpression;
  /** The creating class as the resolver names it (`multiprocessing.Pool`), or the module class. */
  readonly className: string;
  /** A module-defined subclass, when the object is made from one. */
  readonly subclass: ClassDefinition | undefined;
  /** For `Pipe()`: which end (0 or 1). */
  readonly pairIndex: number | undefined;
  readonly body: CodeBody;
  /** The scope the creating call is evaluated in (a comprehension's, when it sits in one). */
  readonly scope: Scope;
  /**
   * The tracked objects each argument expression of the creating call may have held when the
   * call ran (for a Process: what its `args=` and `kwargs=` pass to the child). Filled in by the
   * analysis; grows monotonically while it runs.
   */
  readonly argumentObjects: Map<Expression, Set<TrackedObject>>;
}

/**
 * A condition on a name whose value the paths of a fact share: `{ condition: "ok", holds:
 * false }` says the fact only exists on paths where `if ok:` went the `else` way. Branching
 * again on the same, unchanged name then keeps only the facts of its side — which is how
 * `if ok: p.start()` … `if ok: p.join()` stays silent.
 */
export interface Guard {
  /** `name` (its truth) or `name is None`. */
  readonly condition: string;
  /** The name the condition reads; rebinding it drops the guard. */
  readonly variable: string;
  readonly holds: boolean;
}

export interface Fact {
  readonly object: TrackedObject;
  readonly phase: Phase;
  /** What brought the object into this phase: the creating call, a method call, or a `with` statement. */
  readonly since: Span;
  /**
   * The object may be reachable from outside the body: returned, stored in an attribute or a
   * container, passed to a call, or used by a nested function.
   */
  readonly escaped: boolean;
  readonly guard: Guard | undefined;
  /**
   * Several facts that differed only in `since` were merged into this one (see
   * MAX_FACTS_PER_KEY): `since` is one of the sites that brought the phase, not the only one.
   */
  readonly sinceMerged: boolean;
  /** Identity for de-duplication, and the same without the guard. */
  readonly id: string;
  readonly base: string;
}

export function makeFact(object: TrackedObject, phase: Phase, since: Span, escaped: boolean, guard?: Guard, sinceMerged = false): Fact {
  const base = `${object.id}:${phase}:${since.from}${sinceMerged ? '*' : ''}:${escaped ? 1 : 0}`;
  const id = guard === undefined ? base : `${base}|${guard.condition}=${guard.holds ? 1 : 0}`;
  return { object, phase, since, escaped, guard, sinceMerged, id, base };
}

/** The fact with some fields changed (the guard is kept unless given). */
export function changeFact(
  fact: Fact,
  changes: { readonly phase?: Phase; readonly since?: Span; readonly escaped?: boolean; readonly guard?: Guard | null },
): Fact {
  const guard = changes.guard === null ? undefined : (changes.guard ?? fact.guard);
  const merged = changes.since === undefined && fact.sinceMerged;
  const changed = makeFact(fact.object, changes.phase ?? fact.phase, changes.since ?? fact.since, changes.escaped ?? fact.escaped, guard, merged);
  return changed.id === fact.id ? fact : changed;
}

/** Facts per name, attribute path or internal slot (`#lost`, `#with:<offset>`). Never mutated once built. */
export type FactState = ReadonlyMap<string, readonly Fact[]>;

export const EMPTY_STATE: FactState = new Map();

/** Internal slot: objects dropped (every holder rebound or deleted) while still open. */
export const LOST_SLOT = '#lost';

/** Internal slot: the objects a `with` item entered, until its block is left. */
export function withSlot(itemOffset: number): string {
  return `#with:${itemOffset}`;
}

export function isSlot(key: string): boolean {
  return key.startsWith('#');
}

export function unionFacts(a: readonly Fact[], b: readonly Fact[]): readonly Fact[] {
  if (a === b || b.length === 0) return a;
  if (a.length === 0) return b;
  let out: Fact[] | undefined;
  for (const fact of b) {
    if ((out ?? a).some((known) => known.id === fact.id)) continue;
    out ??= [...a];
    out.push(fact);
  }
  return out === undefined ? a : tidyFacts(out);
}

/**
 * How many facts one key keeps before those that differ only in `since` are merged. Without a
 * bound, a pool closed in each of 5,000 branches would carry 5,000 facts through the function.
 */
export const MAX_FACTS_PER_KEY = 24;

/** Guards normalised, and the list kept within MAX_FACTS_PER_KEY. */
export function tidyFacts(facts: readonly Fact[]): readonly Fact[] {
  const normalized = normalizeGuards(facts);
  if (normalized.length <= MAX_FACTS_PER_KEY) return normalized;
  const groups = new Map<string, Fact>();
  for (const fact of normalized) {
    const key = `${fact.object.id}:${fact.phase}:${fact.escaped ? 1 : 0}|${fact.guard?.condition ?? ''}=${fact.guard?.holds ?? ''}`;
    const known = groups.get(key);
    const since = known === undefined || fact.since.from < known.since.from ? fact.since : known.since;
    const merged = known !== undefined || fact.sinceMerged;
    groups.set(key, makeFact(fact.object, fact.phase, since, fact.escaped, fact.guard, merged));
  }
  return [...groups.values()];
}

/**
 * Facts that differ only in their guard collapse: a fact without a guard covers its guarded
 * copies, and the two sides of one condition together make it hold regardless.
 */
export function normalizeGuards(facts: readonly Fact[]): readonly Fact[] {
  if (!facts.some((fact) => fact.guard !== undefined)) return facts;
  const out: Fact[] = [];
  for (const fact of facts) {
    if (fact.guard === undefined) {
      if (!out.some((known) => known.id === fact.id)) out.push(fact);
      continue;
    }
    const guard = fact.guard;
    const unguarded = facts.some((other) => other.base === fact.base && other.guard === undefined);
    const bothSides = facts.some(
      (other) => other.base === fact.base && other.guard?.condition === guard.condition && other.guard.holds !== guard.holds,
    );
    const kept = unguarded || bothSides ? changeFact(fact, { guard: null }) : fact;
    if (!out.some((known) => known.id === kept.id)) out.push(kept);
  }
  return out;
}

/** The facts of every path: a key present on one side only keeps its facts. */
export function joinStates(a: FactState, b: FactState): FactState {
  if (a === b || b.size === 0) return a;
  if (a.size === 0) return b;
  let out: Map<string, readonly Fact[]> | undefined;
  for (const [key, facts] of b) {
    const known = a.get(key);
    const merged = known === undefined ? facts : unionFacts(known, facts);
    if (merged !== known) {
      out ??= new Map(a);
      out.set(key, merged);
    }
  }
  return out ?? a;
}

export function sameStates(a: FactState, b: FactState): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [key, facts] of a) {
    const other = b.get(key);
    if (other === undefined || other.length !== facts.length) return false;
    if (other !== facts && !facts.every((fact) => other.some((candidate) => candidate.id === fact.id))) return false;
  }
  return true;
}

/** Every fact in the state about `object`, over all keys. */
export function factsAbout(state: FactState, object: TrackedObject): Fact[] {
  const out: Fact[] = [];
  for (const facts of state.values()) {
    for (const fact of facts) if (fact.object === object && !out.some((known) => known.id === fact.id)) out.push(fact);
  }
  return out;
}
