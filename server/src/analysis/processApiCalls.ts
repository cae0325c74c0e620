// The calls that hand work to other processes, found anywhere in a module: constructing a
// Process, Pool or ProcessPoolExecutor (with the standard signature, so that arguments can be
// bound to parameters), and submitting tasks (`pool.map`, `executor.submit`…). The call-shape
// and data-flow rules all start from these.

import type { CallExpression, ClassDefinition, Expression } from '../parser';
import { unparenthesize } from '../parser';
import type { InstanceValue, Resolver, Value } from './resolver';
import { factKey, type ModuleUnit } from './moduleUnits';
import { unitVisits } from './scopedWalk';
import type { Scope, ScopeTree } from './scopes';
import { PROCESS_CLASSES, PROCESS_FACTORIES, type StartMethod, startMethodFromLiteral } from './stdlib/multiprocessingApi';
import {
  EXECUTOR_PARAMETERS,
  EXECUTOR_TASK_METHODS,
  POOL_PARAMETERS,
  POOL_TASK_METHODS,
  PROCESS_PARAMETERS,
} from './stdlib/objectApi';
import { argumentValue } from './arguments';

export type ConstructionKind = 'process' | 'pool' | 'executor';

export interface Construction {
  readonly kind: ConstructionKind;
  readonly call: CallExpression;
  readonly scope: Scope;
  /** As selected where it is made: a fork/spawn/forkserver class or context, `default`, or `unknown`. */
  readonly startMethod: StartMethod;
  /**
   * Positional parameter names of the standard constructor, when it applies: always for the
   * standard classes; for a module-defined subclass only when no class in between defines
   * `__init__` (otherwise the signature is the subclass's own and unknown here).
   */
  readonly parameters: readonly string[] | undefined;
  /** The module-defined subclass being instantiated, if it is one. */
  readonly subclass: ClassDefinition | undefined;
}

export interface TaskSubmission {
  readonly api: 'pool' | 'executor';
  readonly method: string;
  readonly call: CallExpression;
  readonly scope: Scope;
  /** The pool or executor expression (`pool` in `pool.map(...)`). */
  readonly receiver: Expression;
}

/** A call anywhere in the module, with its callee resolved once for every rule that needs it. */
export interface ResolvedCall {
  readonly call: CallExpression;
  readonly scope: Scope;
  readonly callee: Value | undefined;
}

/** What one unit's calls are (see `ProcessApiCalls`). */
export interface UnitCalls {
  readonly calls: readonly ResolvedCall[];
  readonly constructions: readonly Construction[];
  readonly submissions: readonly TaskSubmission[];
  /** Each `set_start_method` call, with the method it sets when that is a literal. */
  readonly setStartMethods: readonly { readonly call: ResolvedCall; readonly method: StartMethod }[];
}

const UNIT_CALLS = factKey<UnitCalls>('process api calls');
/** Selections of a unit's calls, by the set of names selected (see `query`). */
const UNIT_QUERIES = factKey<Map<object, readonly ResolvedCall[]>>('call queries');

/** The resolved calls of every unit that computed them, to find a call's callee without resolving it again. */
const resolvedByCall = new WeakMap<CallExpression, ResolvedCall>();

export class ProcessApiCalls {
  readonly constructions: readonly Construction[];
  readonly submissions: readonly TaskSubmission[];
  /** How the module sets the global start method: undefined when it never calls `set_start_method`. */
  readonly moduleStartMethod: StartMethod | undefined;
  /** The `set_start_method` calls, in source order. */
  readonly setStartMethodCalls: readonly ResolvedCall[];
  private readonly byCall = new Map<CallExpression, Construction>();
  private readonly units: readonly UnitCalls[];
  private allCalls: readonly ResolvedCall[] | undefined;

  constructor(
    private readonly scopes: ScopeTree,
    private readonly resolver: Resolver,
  ) {
    const constructions: Construction[] = [];
    const submissions: TaskSubmission[] = [];
    const setStartMethods: { readonly call: ResolvedCall; readonly method: StartMethod }[] = [];
    this.units = scopes.units.map((unit) => {
      const facts = this.unitFacts(unit);
      for (const construction of facts.constructions) {
        constructions.push(construction);
        this.byCall.set(construction.call, construction);
      }
      for (const submission of facts.submissions) submissions.push(submission);
      for (const set of facts.setStartMethods) setStartMethods.push(set);
      return facts;
    });
    this.constructions = constructions;
    this.submissions = submissions;
    this.setStartMethodCalls = setStartMethods.map((set) => set.call);
    const methods = setStartMethods.map((set) => set.method);
    this.moduleStartMethod =
      methods.length === 0 ? undefined : methods.every((method) => method === methods[0]) ? methods[0] : 'unknown';
  }

  /** Every call in the module, in source order (outer calls before those in their arguments). */
  get calls(): readonly ResolvedCall[] {
    this.allCalls ??= this.units.flatMap((unit) => unit.calls);
    return this.allCalls;
  }


  /**
   * Calls `receiver.name(...)` for any of `names`, in the order of `calls`; only those of `unit`
   * when given. Keep the set: selections are kept on the units, by set.
   */
  callsOfAnyMethod(names: ReadonlySet<string>, unit?: ModuleUnit): ResolvedCall[] {
    return this.query(names, unit, (facts) =>
      facts.calls.filter((resolved) => {
        const callee = unparenthesize(resolved.call.callee);
        return callee.kind === 'Attribute' && callee.name !== undefined && names.has(callee.name.name);
      }),
    );
  }

  /** Calls whose callee resolves to one of the module members `qualifiedNames` (`os.fork`), in the order of `calls`. */
  callsOfAny(qualifiedNames: ReadonlySet<string>): ResolvedCall[] {
    return this.query(qualifiedNames, undefined, (facts) =>
      facts.calls.filter((resolved) => resolved.callee?.kind === 'qualified' && qualifiedNames.has(resolved.callee.name)),
    );
  }

  /** The calls `select` picks from each unit (or from `only`), kept on the unit for the set `names`. */
  private query(names: ReadonlySet<string>, only: ModuleUnit | undefined, select: (facts: UnitCalls) => ResolvedCall[]): ResolvedCall[] {
    const found: ResolvedCall[] = [];
    for (const unit of only ? [only] : this.scopes.units) {
      const queries = unit.resolved(UNIT_QUERIES, () => new Map<object, readonly ResolvedCall[]>());
      let selected = queries.get(names);
      if (selected === undefined) {
        selected = select(this.unitFacts(unit));
        queries.set(names, selected);
      }
      for (const resolved of selected) found.push(resolved);
    }
    return found;
  }

  /** What the callee of `call` (evaluated in `scope`) resolves to: recorded while walking, else resolved now. */
  calleeOf(call: CallExpression, scope: Scope): Value | undefined {
    const known = resolvedByCall.get(call);
    return known !== undefined && known.scope === scope ? known.callee : this.resolver.resolve(call.callee, scope);
  }

  /** The recorded call, when `call` is one the walk over the module met in `scope`. */
  resolvedCall(call: CallExpression, scope: Scope): ResolvedCall | undefined {
    const known = resolvedByCall.get(call);
    return known !== undefined && known.scope === scope ? known : undefined;
  }

  constructionAt(call: CallExpression): Construction | undefined {
    return this.byCall.get(call);
  }

  /** The calls of one unit of the module. */
  unitFacts(unit: ModuleUnit): UnitCalls {
    return unit.resolved(UNIT_CALLS, () => this.unitCalls(unit));
  }

  private unitCalls(unit: ModuleUnit): UnitCalls {
    const calls: ResolvedCall[] = [];
    const constructions: Construction[] = [];
    const submissions: TaskSubmission[] = [];
    const setStartMethods: { call: ResolvedCall; method: StartMethod }[] = [];
    const { nodes, scopes: nodeScopes } = unitVisits(unit, this.scopes);
    for (let index = 0; index < nodes.length; index++) {
      const call = nodes[index];
      if (call.kind !== 'Call') continue;
      const scope = nodeScopes[index];
      const callee = this.resolver.resolve(call.callee, scope);
      const resolved: ResolvedCall = { call, scope, callee };
      calls.push(resolved);
      resolvedByCall.set(call, resolved);
      const construction = this.construction(call, callee, scope);
      if (construction) {
        constructions.push(construction);
        continue;
      }
      const submission = this.submission(call, scope);
      if (submission) {
        submissions.push(submission);
        continue;
      }
      if (isSetStartMethodValue(callee)) setStartMethods.push({ call: resolved, method: literalStartMethod(call) });
    }
    return { calls, constructions, submissions, setStartMethods };
  }

  /**
   * The start method the construction's processes use: the one it selects, else the one the
   * module sets with `set_start_method`, else the platform default.
   */
  effectiveStartMethod(construction: Construction): StartMethod {
    if (construction.startMethod !== 'default') return construction.startMethod;
    return this.moduleStartMethod ?? 'default';
  }

  /**
   * `multiprocessing.set_start_method(...)`. Not a context's method: a concrete context refuses
   * to change (`ValueError: cannot set start method of concrete context`).
   */
  isSetStartMethod(call: CallExpression, scope: Scope): boolean {
    return isSetStartMethodValue(this.calleeOf(call, scope));
  }

  private construction(call: CallExpression, callee: Value | undefined, scope: Scope): Construction | undefined {
    if (callee?.kind === 'qualified') {
      const factory = PROCESS_FACTORIES.get(callee.name);
      if (factory !== undefined) {
        const kind = PROCESS_CLASSES.get(factory.returns)?.kind;
        if (kind !== 'pool') return undefined;
        return { kind, call, scope, startMethod: callee.startMethod ?? 'default', parameters: POOL_PARAMETERS.slice(0, 4), subclass: undefined };
      }
      const info = PROCESS_CLASSES.get(callee.name);
      if (info === undefined || info.kind === 'manager') return undefined;
      const startMethod =
        info.startMethod ?? this.resolver.contextArgument(call, info.contextKeyword, scope) ?? callee.startMethod ?? 'default';
      return { kind: info.kind, call, scope, startMethod, parameters: parametersOf(info.kind), subclass: undefined };
    }
    if (callee?.kind === 'class') {
      const base = this.resolver.apiBase(callee.definition);
      if (base === undefined || base.info.kind === 'manager') return undefined;
      const kind = base.info.kind;
      const parameters = this.keepsConstructor(callee.definition, new Set()) ? parametersOf(kind) : undefined;
      let startMethod = base.startMethod;
      if (parameters !== undefined && base.info.startMethod === undefined) {
        startMethod = this.resolver.contextArgument(call, base.info.contextKeyword, scope) ?? startMethod;
      }
      return { kind, call, scope, startMethod, parameters, subclass: callee.definition };
    }
    return undefined;
  }

  private submission(call: CallExpression, scope: Scope): TaskSubmission | undefined {
    const callee = unparenthesize(call.callee);
    if (callee.kind !== 'Attribute' || callee.name === undefined) return undefined;
    const method = callee.name.name;
    const inPool = POOL_TASK_METHODS.has(method);
    const inExecutor = EXECUTOR_TASK_METHODS.has(method);
    if (!inPool && !inExecutor) return undefined;
    const receiver = this.resolver.resolve(callee.object, scope);
    if (receiver?.kind !== 'instance') return undefined;
    const api = this.receiverApi(receiver, method);
    if (api === 'pool' && inPool) return { api, method, call, scope, receiver: callee.object };
    if (api === 'executor' && inExecutor) return { api, method, call, scope, receiver: callee.object };
    return undefined;
  }

  /** Pool or executor, unless a module-defined subclass overrides the method. */
  private receiverApi(receiver: InstanceValue, method: string): 'pool' | 'executor' | undefined {
    let kind: string | undefined;
    if (receiver.of.kind === 'qualified') {
      kind = PROCESS_CLASSES.get(receiver.of.name)?.kind;
    } else {
      if (this.definesInChain(receiver.of.definition, method, new Set())) return undefined;
      kind = this.resolver.apiBase(receiver.of.definition)?.info.kind;
    }
    return kind === 'pool' || kind === 'executor' ? kind : undefined;
  }

  /** Whether a module-defined class in `definition`'s chain binds `name` (or a base is unknown). */
  private definesInChain(definition: ClassDefinition, name: string, seen: Set<ClassDefinition>): boolean {
    if (seen.has(definition)) return false;
    seen.add(definition);
    if (this.resolver.scopes.scopeOf(definition)?.bindings.has(name)) return true;
    const scope = this.resolver.definingScope(definition);
    for (const base of definition.bases) {
      if (base.kind !== 'Positional' || scope === undefined) return true;
      const value = this.resolver.resolve(base.value, scope);
      if (value?.kind === 'class') {
        if (this.definesInChain(value.definition, name, seen)) return true;
      } else if (value?.kind !== 'qualified') {
        return true;
      }
    }
    return false;
  }

  /** No module-defined class between `definition` and the standard class replaces `__init__`/`__new__`. */
  private keepsConstructor(definition: ClassDefinition, seen: Set<ClassDefinition>): boolean {
    if (seen.has(definition)) return false;
    seen.add(definition);
    const classScope = this.resolver.scopes.scopeOf(definition);
    if (classScope?.bindings.has('__init__') || classScope?.bindings.has('__new__')) return false;
    const scope = this.resolver.definingScope(definition);
    if (scope === undefined) return false;
    for (const base of definition.bases) {
      if (base.kind !== 'Positional') return false;
      const value = this.resolver.resolve(base.value, scope);
      if (value?.kind === 'class') {
        if (!this.keepsConstructor(value.definition, seen)) return false;
      } else if (!(value?.kind === 'qualified' && PROCESS_CLASSES.has(value.name))) {
        // A mixin from elsewhere may define its own constructor.
        return false;
      }
    }
    return true;
  }
}

function isSetStartMethodValue(value: Value | undefined): boolean {
  return value?.kind === 'qualified' && value.name === 'multiprocessing.set_start_method' && value.startMethod === undefined;
}

function parametersOf(kind: ConstructionKind): readonly string[] {
  switch (kind) {
    case 'process':
      return PROCESS_PARAMETERS;
    case 'pool':
      return POOL_PARAMETERS;
    case 'executor':
      return EXECUTOR_PARAMETERS;
  }
}

/** `set_start_method("spawn")` / `set_start_method(method="spawn")` → spawn; anything else unknown. */
export function literalStartMethod(call: CallExpression): StartMethod {
  const value = argumentValue(call, ['method', 'force'], 'method');
  const node = value === undefined ? undefined : unparenthesize(value);
  return node?.kind === 'String' ? startMethodFromLiteral(node.value) : 'unknown';
}

