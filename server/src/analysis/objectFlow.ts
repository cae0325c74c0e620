// What an expression holds, followed through names to the expressions that made the value
// (a light, flow-insensitive data flow within one module): `q = mp.Queue()` makes `q` a
// multiprocessing Queue wherever `q` is used, `for q in queues` makes it whatever every element
// of `queues` is, `with open(p) as f` makes `f` an open file. It also knows what pickling an
// expression pickles (the parts of tuples, lists and dicts) and what iterating one yields.
//
// Like the resolver it never guesses: a name is known only when every binding it has agrees,
// parameters and other unknowable bindings make it unknown, and a container is followed
// through a name only when that name is bound exactly once.

import type { CallExpression, ComprehensionExpression, Expression } from '../parser';
import { unparenthesize } from '../parser';
import type { ParameterFlow } from './parameterFlow';
import { containsYield } from './processStarts';
import type { InstanceValue, Resolver } from './resolver';
import type { Binding, Scope, ScopeTree } from './scopes';
import {
  FILE_OPENERS,
  MANAGER_PROXY_METHODS,
  SYNC_MANAGER_CLASSES,
  SYNC_PRIMITIVES,
  THREAD_OBJECTS,
} from './stdlib/objectApi';
import { PROCESS_CLASSES, STAR_EXPORTS } from './stdlib/multiprocessingApi';

/** An expression that produced a value, and the scope it is evaluated in. */
export interface Origin {
  readonly expression: Expression;
  readonly scope: Scope;
  /** The value is what entering `expression` as a context manager returned (`with expression as name`). */
  readonly entered: boolean;
}

export type HeldKind =
  /** multiprocessing Queue, Lock, Value… (`type`: `Queue`) */
  | 'sync-primitive'
  /** threading locks and `queue` queues (`type`: `threading.Lock`) */
  | 'thread-object'
  /** an open file (`type`: the opener, `open`) */
  | 'file'
  /** a generator object (`type`: `generator`) */
  | 'generator'
  /** a manager (`type`: its class) */
  | 'manager'
  /** a proxy made by a SyncManager (`type`: the factory method, `dict`) */
  | 'manager-proxy'
  /** a multiprocessing Pool, ProcessPoolExecutor or Process (`type`: its class) */
  | 'pool'
  | 'executor'
  | 'process';

export interface HeldObject {
  readonly kind: HeldKind;
  readonly type: string;
  /** Where it was made (the first of the agreeing origins). */
  readonly origin: Origin;
}

export interface Elements {
  readonly elements: readonly Origin[];
  /** The elements are the items iterated; false when each item wraps them (`zip`, `enumerate`). */
  readonly exact: boolean;
  /** Every element is known. */
  readonly complete: boolean;
}

/** What `with x as y` binds to `y` for these kinds: `x` itself (`__enter__` returns self). */
const ENTER_RETURNS_SELF: ReadonlySet<HeldKind> = new Set(['file', 'pool', 'executor', 'manager']);

/** How deep names and containers are followed; deeper is unknown (keeps recursion bounded). */
const MAX_FLOW_DEPTH = 60;

export class ObjectFlow {
  private depth = 0;
  private readonly inProgress = new Set<Expression>();
  private readonly classified = new Map<Expression, HeldObject | undefined>();

  constructor(
    private readonly scopes: ScopeTree,
    private readonly resolver: Resolver,
    /** What parameters receive from the module's calls; without it parameters are unknown. */
    private readonly parameters?: ParameterFlow,
  ) {}

  /** What `expression` holds, when that is one of the kinds above and certain. */
  classify(expression: Expression, scope: Scope): HeldObject | undefined {
    const node = unparenthesize(expression);
    if (this.classified.has(node)) return this.classified.get(node);
    const held = this.guarded(node, () => this.classifyNode(node, scope));
    // Only results computed outside a cycle are final.
    if (this.inProgress.size === 0) this.classified.set(node, held);
    return held;
  }

  /**
   * The expressions whose value `expression` may hold: itself, or for a name the values of all
   * its bindings. Undefined when a binding's value cannot be known (a parameter, an import…).
   */
  origins(expression: Expression, scope: Scope): Origin[] | undefined {
    const node = unparenthesize(expression);
    if (node.kind !== 'Name') return [{ expression: node, scope, entered: false }];
    const owner = scope.lookup(node.name);
    if (owner === undefined || this.starImportMayBind(owner, node.name)) return undefined;
    const origins: Origin[] = [];
    for (const binding of owner.bindings.get(node.name) ?? []) {
      const found = this.bindingOrigins(binding);
      if (found === undefined) return undefined;
      origins.push(...found);
    }
    return origins.length > 0 ? origins : undefined;
  }

  /**
   * The one expression a name was bound to, when it has exactly one binding with a value (for
   * following containers, where agreeing is not enough: `[q]` and `[1]` both are lists).
   */
  soleOrigin(expression: Expression, scope: Scope): Origin | undefined {
    const node = unparenthesize(expression);
    if (node.kind !== 'Name') return { expression: node, scope, entered: false };
    const owner = scope.lookup(node.name);
    if (owner === undefined || this.starImportMayBind(owner, node.name)) return undefined;
    const bindings = (owner.bindings.get(node.name) ?? []).filter((binding) => binding.kind !== 'deletion');
    if (bindings.length !== 1) return undefined;
    const binding = bindings[0];
    if (binding.kind === 'assignment' && binding.value !== undefined) {
      return { expression: unparenthesize(binding.value), scope: binding.site, entered: false };
    }
    if (binding.kind === 'namedExpression') {
      return { expression: unparenthesize(binding.expression.value), scope: binding.site, entered: false };
    }
    return undefined;
  }

  /** What iterating `expression` yields, as far as the code shows. */
  elements(expression: Expression, scope: Scope): Elements | undefined {
    const node = unparenthesize(expression);
    return this.guarded(node, () => this.elementsOf(node, scope));
  }

  /**
   * The values pickling `expression` pickles, down through tuple, list, set and dict displays
   * (also when a name bound once to one is used), starred items and `functools.partial`.
   * Each part is an expression in the code; the top expression itself is one of them.
   */
  pickledParts(expression: Expression, scope: Scope): Origin[] {
    const node = unparenthesize(expression);
    return this.guarded(node, () => this.partsOf(node, scope)) ?? [{ expression: node, scope, entered: false }];
  }

  /** The builtin a bare name means here: nothing in the module binds it. */
  builtinName(expression: Expression, scope: Scope): string | undefined {
    const node = unparenthesize(expression);
    if (node.kind !== 'Name') return undefined;
    if (scope.lookup(node.name) !== undefined) return undefined;
    if (this.starImportMayBind(scope.module, node.name)) return undefined;
    return node.name;
  }

  /** `builtins.x`, a module member (`itertools.repeat`), or undefined. */
  calleeName(expression: Expression, scope: Scope): string | undefined {
    const builtin = this.builtinName(expression, scope);
    if (builtin !== undefined) return `builtins.${builtin}`;
    const value = this.resolver.resolve(expression, scope);
    return value?.kind === 'qualified' ? value.name : undefined;
  }

  // -------------------------------------------------------------------------------------------

  private guarded<T>(key: Expression, step: () => T | undefined): T | undefined {
    if (this.depth >= MAX_FLOW_DEPTH || this.inProgress.has(key)) return undefined;
    this.depth++;
    this.inProgress.add(key);
    try {
      return step();
    } finally {
      this.inProgress.delete(key);
      this.depth--;
    }
  }

  private classifyNode(node: Expression, scope: Scope): HeldObject | undefined {
    const value = this.resolver.resolve(node, scope);
    if (value?.kind === 'instance') return this.fromInstance(value, { expression: node, scope, entered: false });
    const origins = this.origins(node, scope);
    if (origins === undefined) return undefined;
    let agreed: HeldObject | undefined;
    for (const origin of origins) {
      const held = origin.expression === node ? this.classifyOrigin(origin) : this.classifyFollowed(origin);
      if (held === undefined) return undefined;
      if (agreed !== undefined && (agreed.kind !== held.kind || agreed.type !== held.type)) return undefined;
      agreed ??= held;
    }
    return agreed;
  }

  /** A binding's value, itself possibly a name to follow. */
  private classifyFollowed(origin: Origin): HeldObject | undefined {
    const held = origin.expression.kind === 'Name' ? this.classify(origin.expression, origin.scope) : this.classifyOrigin(origin);
    if (held === undefined) return undefined;
    if (origin.entered && !ENTER_RETURNS_SELF.has(held.kind)) return undefined;
    return held;
  }

  private classifyOrigin(origin: Origin): HeldObject | undefined {
    const node = origin.expression;
    if (node.kind === 'Comprehension') return node.form === 'generator' ? { kind: 'generator', type: 'generator', origin } : undefined;
    if (node.kind !== 'Call') return undefined;
    const scope = origin.scope;
    const calleeName = this.calleeName(node.callee, scope);
    if (calleeName !== undefined) {
      const primitive = SYNC_PRIMITIVES.get(calleeName);
      if (primitive !== undefined) return { kind: 'sync-primitive', type: primitive, origin };
      if (THREAD_OBJECTS.has(calleeName)) return { kind: 'thread-object', type: calleeName, origin };
      if (FILE_OPENERS.has(calleeName)) return { kind: 'file', type: calleeName.replace(/^builtins\./, ''), origin };
    }
    const callee = unparenthesize(node.callee);
    if (callee.kind === 'Attribute' && callee.name && MANAGER_PROXY_METHODS.has(callee.name.name)) {
      const receiver = this.resolver.resolve(callee.object, scope);
      if (receiver?.kind === 'instance' && this.isSyncManager(receiver)) {
        return { kind: 'manager-proxy', type: callee.name.name, origin };
      }
    }
    const calleeValue = this.resolver.resolve(node.callee, scope);
    if ((calleeValue?.kind === 'function' || calleeValue?.kind === 'method') && containsYield(calleeValue.definition.body)) {
      return { kind: 'generator', type: 'generator', origin };
    }
    const value = this.resolver.resolve(node, scope);
    return value?.kind === 'instance' ? this.fromInstance(value, origin) : undefined;
  }

  private fromInstance(value: InstanceValue, origin: Origin): HeldObject | undefined {
    let name: string;
    let kind: string | undefined;
    if (value.of.kind === 'qualified') {
      name = value.of.name;
      kind = PROCESS_CLASSES.get(name)?.kind;
    } else {
      const base = this.resolver.apiBase(value.of.definition);
      name = base?.name ?? '';
      kind = base?.info.kind;
    }
    if (kind === 'process' || kind === 'pool' || kind === 'executor' || kind === 'manager') return { kind, type: name, origin };
    return undefined;
  }

  private isSyncManager(instance: InstanceValue): boolean {
    if (instance.of.kind === 'qualified') return SYNC_MANAGER_CLASSES.has(instance.of.name);
    const base = this.resolver.apiBase(instance.of.definition);
    return base !== undefined && SYNC_MANAGER_CLASSES.has(base.name);
  }

  private bindingOrigins(binding: Binding): Origin[] | undefined {
    switch (binding.kind) {
      case 'assignment':
        return binding.value === undefined ? undefined : [{ expression: unparenthesize(binding.value), scope: binding.site, entered: false }];
      case 'namedExpression':
        return [{ expression: unparenthesize(binding.expression.value), scope: binding.site, entered: false }];
      case 'withTarget':
        return binding.whole ? [{ expression: unparenthesize(binding.item.context), scope: binding.site, entered: true }] : undefined;
      case 'loopTarget': {
        const loop = binding.loop;
        const target = 'target' in loop ? loop.target : undefined;
        if (target === undefined || unparenthesize(target).kind !== 'Name') return undefined;
        const iterable = 'iterable' in loop ? loop.iterable : loop.expression;
        const found = this.elements(iterable, this.iterableScope(binding));
        if (found === undefined || !found.exact || !found.complete || found.elements.length === 0) return undefined;
        return [...found.elements];
      }
      case 'deletion':
        // `del name` unbinds; it does not give the name another value.
        return [];
      case 'parameter': {
        const owner = binding.site.owner;
        if (!('kind' in owner) || owner.kind !== 'FunctionDef') return undefined;
        return this.parameters?.origins(owner, binding.parameter, this);
      }
      default:
        return undefined;
    }
  }

  /** A comprehension's first iterable is evaluated in the scope around it. */
  private iterableScope(binding: Binding): Scope {
    const site = binding.site;
    if (site.kind === 'comprehension' && binding.kind === 'loopTarget') {
      const owner = site.owner as ComprehensionExpression;
      if (owner.clauses[0] === binding.loop && site.parent) return site.parent;
    }
    return site;
  }

  private starImportMayBind(owner: Scope, name: string): boolean {
    if (owner.kind !== 'module') return false;
    return owner.starImports.some((star) => {
      const exports = star.module === undefined ? undefined : STAR_EXPORTS.get(star.module);
      return exports === undefined || exports.has(name);
    });
  }

  private elementsOf(node: Expression, scope: Scope): Elements | undefined {
    switch (node.kind) {
      case 'List':
      case 'Tuple':
      case 'Set':
        return this.displayElements(node.elements, scope);
      case 'Comprehension': {
        const inner = this.scopes.scopeOf(node) ?? scope;
        return { elements: [{ expression: unparenthesize(node.element), scope: inner, entered: false }], exact: true, complete: true };
      }
      case 'Binary': {
        if (node.operator === '*') return this.elements(node.left, scope) ?? this.elements(node.right, scope);
        if (node.operator !== '+') return undefined;
        const left = this.elements(node.left, scope);
        const right = this.elements(node.right, scope);
        if (left === undefined && right === undefined) return undefined;
        return {
          elements: [...(left?.elements ?? []), ...(right?.elements ?? [])],
          exact: (left?.exact ?? true) && (right?.exact ?? true),
          complete: (left?.complete ?? false) && (right?.complete ?? false),
        };
      }
      case 'Call':
        return this.callElements(node, scope);
      case 'Name': {
        const origin = this.soleOrigin(node, scope);
        return origin === undefined ? undefined : this.elements(origin.expression, origin.scope);
      }
      default:
        return undefined;
    }
  }

  private displayElements(items: readonly Expression[], scope: Scope): Elements {
    const elements: Origin[] = [];
    let exact = true;
    let complete = true;
    for (const item of items) {
      const node = unparenthesize(item);
      if (node.kind === 'Starred') {
        const inner = this.elements(node.value, scope);
        if (inner === undefined) {
          complete = false;
          continue;
        }
        elements.push(...inner.elements);
        exact &&= inner.exact;
        complete &&= inner.complete;
      } else {
        elements.push({ expression: node, scope, entered: false });
      }
    }
    return { elements, exact, complete };
  }

  /** `zip`, `enumerate`, `list(...)`, `itertools.repeat(x)`… */
  private callElements(call: CallExpression, scope: Scope): Elements | undefined {
    const name = this.calleeName(call.callee, scope);
    if (name === undefined || call.args.some((argument) => argument.kind === 'Star' || argument.kind === 'DoubleStar')) return undefined;
    const positionals = call.args.filter((argument) => argument.kind === 'Positional').map((argument) => argument.value);
    switch (name) {
      case 'builtins.zip':
      case 'builtins.enumerate':
      case 'itertools.chain':
      case 'builtins.list':
      case 'builtins.tuple':
      case 'builtins.set':
      case 'builtins.sorted':
      case 'builtins.reversed':
      case 'builtins.iter': {
        const sources = name === 'builtins.enumerate' || name === 'builtins.list' || name === 'builtins.tuple' ||
          name === 'builtins.set' || name === 'builtins.sorted' || name === 'builtins.reversed' || name === 'builtins.iter'
          ? positionals.slice(0, 1)
          : positionals;
        if (sources.length === 0) return undefined;
        const parts = sources.map((source) => this.elements(source, scope));
        const wraps = name === 'builtins.zip' || name === 'builtins.enumerate';
        return {
          elements: parts.flatMap((part) => part?.elements ?? []),
          exact: !wraps && parts.every((part) => part?.exact ?? true),
          complete: parts.every((part) => part?.complete ?? false),
        };
      }
      case 'builtins.range':
        // Its elements are ints; one synthetic number literal (spanning the call) stands for them.
        return { elements: [{ expression: { kind: 'Number', text: '0', from: call.from, to: call.to }, scope, entered: false }], exact: true, complete: true };
      case 'itertools.repeat':
        return positionals.length > 0
          ? { elements: [{ expression: unparenthesize(positionals[0]), scope, entered: false }], exact: true, complete: true }
          : undefined;
      default:
        return undefined;
    }
  }

  private partsOf(node: Expression, scope: Scope): Origin[] {
    const self: Origin = { expression: node, scope, entered: false };
    switch (node.kind) {
      case 'Tuple':
      case 'List':
      case 'Set':
        return [self, ...node.elements.flatMap((element) => this.itemParts(element, scope))];
      case 'Dict':
        return [
          self,
          ...node.entries.flatMap((entry) => [
            ...(entry.key ? this.pickledParts(entry.key, scope) : []),
            ...this.pickledParts(entry.value, scope),
          ]),
        ];
      case 'Comprehension': {
        if (node.form === 'generator') return [self];
        const inner = this.scopes.scopeOf(node) ?? scope;
        return [
          self,
          ...this.pickledParts(node.element, inner),
          ...(node.value ? this.pickledParts(node.value, inner) : []),
        ];
      }
      case 'Call': {
        const name = this.calleeName(node.callee, scope);
        if (name === 'functools.partial' || name === 'builtins.dict') {
          return [self, ...node.args.flatMap((argument) => this.itemParts(argument.kind === 'Star' ? starred(argument.value) : argument.value, scope))];
        }
        if (name === 'builtins.list' || name === 'builtins.tuple' || name === 'builtins.set') {
          const first = node.args.length === 1 && node.args[0].kind === 'Positional' ? node.args[0].value : undefined;
          return first ? [self, ...this.itemParts(starred(first), scope)] : [self];
        }
        return [self];
      }
      case 'Name': {
        const origin = this.soleOrigin(node, scope);
        if (origin === undefined || !isContainer(origin.expression)) return [self];
        return [self, ...this.pickledParts(origin.expression, origin.scope).filter((part) => part.expression !== origin.expression)];
      }
      default:
        return [self];
    }
  }

  /** An item of a display: a `*iterable` contributes its elements. */
  private itemParts(item: Expression, scope: Scope): Origin[] {
    const node = unparenthesize(item);
    if (node.kind !== 'Starred') return this.pickledParts(node, scope);
    const inner = this.elements(node.value, scope);
    return (inner?.elements ?? []).flatMap((element) => this.pickledParts(element.expression, element.scope));
  }
}

/** Wraps an iterable so that `itemParts` takes its elements. */
function starred(value: Expression): Expression {
  return { kind: 'Starred', value, from: value.from, to: value.to };
}

function isContainer(expression: Expression): boolean {
  switch (expression.kind) {
    case 'Tuple':
    case 'List':
    case 'Set':
    case 'Dict':
      return true;
    case 'Comprehension':
      return expression.form !== 'generator';
    default:
      return false;
  }
}
