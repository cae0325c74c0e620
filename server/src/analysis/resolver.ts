// Resolves expressions to what they denote: an imported module member (`mp.Pool` →
// `multiprocessing.Pool`), a multiprocessing context and its start method, a function or class
// defined in this module, an instance of one of those, or a bound method. Resolution is
// flow-insensitive and deliberately modest: a name resolves only when every binding of it in
// its scope agrees, and anything unknown resolves to `undefined` — never to a guess.

import type { CallExpression, ClassDefinition, Expression, FunctionDefinition } from '../parser';
import { unparenthesize } from '../parser';
import type { Binding, Scope, ScopeTree } from './scopes';
import {
  canonicalName,
  CONTEXT_MEMBERS,
  GET_CONTEXT,
  PROCESS_CLASSES,
  PROCESS_FACTORIES,
  type ProcessClassInfo,
  STAR_EXPORTS,
  type StartMethod,
  startMethodFromLiteral,
} from './stdlib/multiprocessingApi';

/** A module or a module member reached through imports, e.g. `concurrent.futures.ProcessPoolExecutor`. */
export interface QualifiedValue {
  readonly kind: 'qualified';
  readonly name: string;
  /** Set when reached through a context: `get_context("spawn").Process`. */
  readonly startMethod: StartMethod | undefined;
}

export interface ContextValue {
  readonly kind: 'context';
  readonly startMethod: StartMethod;
}

export interface FunctionValue {
  readonly kind: 'function';
  readonly definition: FunctionDefinition;
}

export interface ClassValue {
  readonly kind: 'class';
  readonly definition: ClassDefinition;
}

/** An object made by calling a class or a factory. */
export interface InstanceValue {
  readonly kind: 'instance';
  readonly of: QualifiedValue | ClassValue;
  readonly startMethod: StartMethod;
  /** Made by a factory that already started it (`multiprocessing.Manager()`). */
  readonly started: boolean;
}

/** A method of a module-defined class, looked up on an instance. */
export interface MethodValue {
  readonly kind: 'method';
  readonly definition: FunctionDefinition;
  readonly receiver: InstanceValue;
}

export type Value = QualifiedValue | ContextValue | FunctionValue | ClassValue | InstanceValue | MethodValue;

/** The standard-library process class a module-defined class derives from. */
export interface ApiBase {
  readonly name: string;
  readonly info: ProcessClassInfo;
  readonly startMethod: StartMethod;
}

/**
 * How many resolution steps may nest (a name bound to a name bound to a name…, a class derived
 * from a class derived from…). Deeper chains resolve to unknown: it keeps pathological code
 * from exhausting the stack, and no real program comes near it.
 */
export const MAX_RESOLUTION_DEPTH = 150;

export class Resolver {
  private depth = 0;
  private readonly nameCache = new Map<Scope, Map<string, Value | undefined>>();
  private readonly inProgress = new Set<Binding>();
  private readonly baseCache = new Map<ClassDefinition, ApiBase | undefined>();
  private readonly basesInProgress = new Set<ClassDefinition>();

  constructor(readonly scopes: ScopeTree) {}

  resolve(expression: Expression, scope: Scope): Value | undefined {
    // `nested` without its closure: this runs for every call and name in the module.
    if (this.depth >= MAX_RESOLUTION_DEPTH) return undefined;
    this.depth++;
    try {
      return this.resolveAtDepth(expression, scope);
    } finally {
      this.depth--;
    }
  }

  /** Runs one nested resolution step, or gives up (unknown) beyond MAX_RESOLUTION_DEPTH. */
  private nested<T>(step: () => T | undefined): T | undefined {
    if (this.depth >= MAX_RESOLUTION_DEPTH) return undefined;
    this.depth++;
    try {
      return step();
    } finally {
      this.depth--;
    }
  }

  private resolveAtDepth(expression: Expression, scope: Scope): Value | undefined {
    const node = unparenthesize(expression);
    switch (node.kind) {
      case 'Name':
        return this.resolveName(node.name, scope);
      case 'Attribute':
        return node.name ? this.attribute(this.resolve(node.object, scope), node.name.name) : undefined;
      case 'Call':
        return this.callResult(node, scope);
      default:
        return undefined;
    }
  }

  resolveName(name: string, scope: Scope): Value | undefined {
    let cache = this.nameCache.get(scope);
    if (cache === undefined) {
      cache = new Map();
      this.nameCache.set(scope, cache);
    }
    if (cache.has(name)) return cache.get(name);
    const value = this.computeName(name, scope);
    cache.set(name, value);
    return value;
  }

  /** The standard-library process class `definition` derives from, directly or through module classes. */
  apiBase(definition: ClassDefinition): ApiBase | undefined {
    return this.nested(() => this.apiBaseAtDepth(definition));
  }

  private apiBaseAtDepth(definition: ClassDefinition): ApiBase | undefined {
    if (this.baseCache.has(definition)) return this.baseCache.get(definition);
    if (this.basesInProgress.has(definition)) return undefined;
    this.basesInProgress.add(definition);
    let found: ApiBase | undefined;
    const scope = this.definingScope(definition);
    for (const base of definition.bases) {
      if (found || base.kind !== 'Positional' || scope === undefined) continue;
      const value = this.resolve(base.value, scope);
      if (value?.kind === 'qualified') {
        const info = PROCESS_CLASSES.get(value.name);
        if (info) found = { name: value.name, info, startMethod: info.startMethod ?? value.startMethod ?? 'default' };
      } else if (value?.kind === 'class') {
        found = this.apiBase(value.definition);
      }
    }
    this.basesInProgress.delete(definition);
    this.baseCache.set(definition, found);
    return found;
  }

  /**
   * A plain method `name` of a module-defined class, searched in the class and then in its
   * module-defined bases. Undefined when the name is bound otherwise or more than once,
   * decorated, or inherited from a class this module does not define.
   */
  findMethod(definition: ClassDefinition, name: string, seen = new Set<ClassDefinition>()): FunctionDefinition | undefined {
    return this.nested(() => this.findMethodAtDepth(definition, name, seen));
  }

  private findMethodAtDepth(definition: ClassDefinition, name: string, seen: Set<ClassDefinition>): FunctionDefinition | undefined {
    if (seen.has(definition)) return undefined;
    seen.add(definition);
    const classScope = this.scopes.scopeOf(definition);
    const bindings = classScope?.bindings.get(name);
    if (bindings !== undefined) {
      const only = bindings.length === 1 ? bindings[0] : undefined;
      return only?.kind === 'function' && only.definition.decorators.length === 0 ? only.definition : undefined;
    }
    const scope = this.definingScope(definition);
    for (const base of definition.bases) {
      if (base.kind !== 'Positional' || scope === undefined) continue;
      const value = this.resolve(base.value, scope);
      if (value?.kind !== 'class') return undefined;
      const found = this.findMethod(value.definition, name, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** The scope a def or class statement runs in. */
  definingScope(definition: FunctionDefinition | ClassDefinition): Scope | undefined {
    return this.scopes.scopeOf(definition)?.parent;
  }

  /** The start method a call's context argument (`context=`, `mp_context=`) selects, if it has one. */
  contextArgument(call: CallExpression, keyword: string | undefined, scope: Scope): StartMethod | undefined {
    if (keyword === undefined) return undefined;
    const argument = call.args.find((arg) => arg.kind === 'Keyword' && arg.name.name === keyword);
    if (argument === undefined) return undefined;
    const value = unparenthesize(argument.value);
    if (value.kind === 'Constant' && value.value === 'None') return undefined;
    const resolved = this.resolve(value, scope);
    return resolved?.kind === 'context' ? resolved.startMethod : 'unknown';
  }

  private computeName(name: string, scope: Scope): Value | undefined {
    const owner = scope.lookup(name);
    if (owner === undefined) return this.starImported(name, scope.module);
    const bindings = owner.bindings.get(name) ?? [];
    let agreed: Value | undefined;
    for (const binding of bindings) {
      const value = this.bindingValue(binding);
      if (value === undefined) return undefined;
      if (agreed !== undefined && !sameValue(agreed, value)) return undefined;
      agreed = value;
    }
    // A star import after a binding may rebind the name (flow-insensitively, any such import).
    if (owner.kind === 'module' && agreed !== undefined) {
      const firstBinding = Math.min(...bindings.map(bindingOffset));
      for (const star of owner.starImports) {
        if (star.statement.from < firstBinding) continue;
        const exports = star.module === undefined ? undefined : STAR_EXPORTS.get(star.module);
        if (exports === undefined) return undefined;
        if (exports.has(name) && !sameValue(agreed, { kind: 'qualified', name: canonicalName(`${star.module}.${name}`), startMethod: undefined })) {
          return undefined;
        }
      }
    }
    return agreed;
  }

  /** A name only a star import can bind: known when exactly the known exporters provide it. */
  private starImported(name: string, module: Scope): Value | undefined {
    let found: Value | undefined;
    for (const star of module.starImports) {
      const exports = star.module === undefined ? undefined : STAR_EXPORTS.get(star.module);
      if (exports === undefined) return undefined;
      if (!exports.has(name)) continue;
      const value: Value = { kind: 'qualified', name: canonicalName(`${star.module}.${name}`), startMethod: undefined };
      if (found !== undefined && !sameValue(found, value)) return undefined;
      found = value;
    }
    return found;
  }

  private bindingValue(binding: Binding): Value | undefined {
    if (this.inProgress.has(binding)) return undefined;
    this.inProgress.add(binding);
    try {
      switch (binding.kind) {
        case 'import':
          return { kind: 'qualified', name: binding.module, startMethod: undefined };
        case 'importFrom':
          return binding.qualifiedName === undefined
            ? undefined
            : { kind: 'qualified', name: canonicalName(binding.qualifiedName), startMethod: undefined };
        case 'function':
          // A decorator may return anything; only plain functions are known.
          return binding.definition.decorators.length === 0 ? { kind: 'function', definition: binding.definition } : undefined;
        case 'class':
          return binding.definition.decorators.length === 0 ? { kind: 'class', definition: binding.definition } : undefined;
        case 'assignment':
          return binding.value === undefined ? undefined : this.resolve(binding.value, binding.site);
        case 'withTarget': {
          if (!binding.whole) return undefined;
          const context = this.resolve(binding.item.context, binding.site);
          return context?.kind === 'instance' && this.enterReturnsSelf(context) ? context : undefined;
        }
        default:
          return undefined;
      }
    } finally {
      this.inProgress.delete(binding);
    }
  }

  private enterReturnsSelf(instance: InstanceValue): boolean {
    if (instance.of.kind === 'qualified') return PROCESS_CLASSES.get(instance.of.name)?.enterReturnsSelf ?? false;
    const definition = instance.of.definition;
    if (this.findMethod(definition, '__enter__') !== undefined) return false;
    const classScope = this.scopes.scopeOf(definition);
    if (classScope?.bindings.has('__enter__')) return false;
    return this.apiBase(definition)?.info.enterReturnsSelf ?? false;
  }

  private attribute(object: Value | undefined, name: string): Value | undefined {
    if (object === undefined) return undefined;
    switch (object.kind) {
      case 'qualified':
        return { kind: 'qualified', name: canonicalName(`${object.name}.${name}`), startMethod: object.startMethod };
      case 'context':
        return CONTEXT_MEMBERS.has(name)
          ? { kind: 'qualified', name: canonicalName(`multiprocessing.${name}`), startMethod: object.startMethod }
          : undefined;
      case 'instance': {
        if (object.of.kind !== 'class') return undefined;
        const method = this.findMethod(object.of.definition, name);
        return method ? { kind: 'method', definition: method, receiver: object } : undefined;
      }
      default:
        return undefined;
    }
  }

  private callResult(call: CallExpression, scope: Scope): Value | undefined {
    const callee = this.resolve(call.callee, scope);
    if (callee === undefined) return undefined;
    if (callee.kind === 'class') {
      const base = this.apiBase(callee.definition);
      const startMethod = base?.info.startMethod ?? base?.startMethod ?? 'default';
      return { kind: 'instance', of: callee, startMethod, started: false };
    }
    if (callee.kind !== 'qualified') return undefined;
    if (callee.name === GET_CONTEXT) return { kind: 'context', startMethod: startMethodArgument(call) };
    const factory = PROCESS_FACTORIES.get(callee.name);
    if (factory) {
      return {
        kind: 'instance',
        of: { kind: 'qualified', name: factory.returns, startMethod: undefined },
        startMethod: callee.startMethod ?? 'default',
        started: factory.starts,
      };
    }
    const info = PROCESS_CLASSES.get(callee.name);
    if (info) {
      const startMethod =
        info.startMethod ?? this.contextArgument(call, info.contextKeyword, scope) ?? callee.startMethod ?? 'default';
      const of: QualifiedValue = { kind: 'qualified', name: callee.name, startMethod: undefined };
      return { kind: 'instance', of, startMethod, started: false };
    }
    return undefined;
  }
}

function bindingOffset(binding: Binding): number {
  return binding.kind === 'import' || binding.kind === 'importFrom' ? binding.alias.from : binding.name.from;
}

/** `get_context()` → default; `get_context("spawn")` or `get_context(method="spawn")` → spawn. */
function startMethodArgument(call: CallExpression): StartMethod {
  const argument = call.args.find(
    (arg) => arg.kind === 'Positional' || (arg.kind === 'Keyword' && arg.name.name === 'method'),
  );
  if (argument === undefined) return 'default';
  const value = unparenthesize(argument.value);
  if (value.kind === 'Constant' && value.value === 'None') return 'default';
  return value.kind === 'String' ? startMethodFromLiteral(value.value) : 'unknown';
}

export function sameValue(a: Value, b: Value): boolean {
  switch (a.kind) {
    case 'qualified':
      return b.kind === 'qualified' && a.name === b.name && a.startMethod === b.startMethod;
    case 'context':
      return b.kind === 'context' && a.startMethod === b.startMethod;
    case 'function':
    case 'class':
      return b.kind === a.kind && b.definition === a.definition;
    case 'instance':
      return b.kind === 'instance' && a.startMethod === b.startMethod && a.started === b.started && sameValue(a.of, b.of);
    case 'method':
      return b.kind === 'method' && a.definition === b.definition && sameValue(a.receiver, b.receiver);
  }
}
