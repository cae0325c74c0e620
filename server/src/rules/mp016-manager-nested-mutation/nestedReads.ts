// Finds in-place changes made to a value read out of a Manager proxy: `d[k].append(x)`,
// `d[k][j] = v`, `d[k][j] += v`, `del d[k][j]`, `d.get(k).update(...)`, `ns.items.append(x)`.
// Reading `d[k]` from a dict or list proxy (or an attribute of a Namespace proxy) returns a
// copy, so the change never reaches the manager. `d[k] += x` is not one of them: augmented
// assignment stores the result back with `d[k] = …`.
//
// Proxies that hold other proxies (`d[k] = manager.list()`, supported since Python 3.6) are
// left alone: there `d[k]` is a proxy too, and changing it works.

import type { ModuleAnalysis, Scope } from '../../analysis';
import { factKey, type ModuleUnit } from '../../analysis/moduleUnits';
import { walkUnit } from '../../analysis/scopedWalk';
import type { ScopeTree } from '../../analysis/scopes';
import { CONTAINER_MUTATORS, MANAGER_PROXY_METHODS } from '../../analysis/stdlib/objectApi';
import type { AttributeExpression, CallExpression, Expression, Statement, SubscriptExpression } from '../../parser';
import { unparenthesize } from '../../parser';

export interface NestedRead {
  /** The expression that reads a copy: `d[k]`, `d.get(k)`, `ns.items`. */
  readonly read: Expression;
  /**
   * Where the copy can be stored back: `proxy[keys]` (`d[k]` for `d.get(k)` too), or `proxy`
   * itself when `keys` is empty (a Namespace attribute). Undefined for slices.
   */
  readonly storeBack: { readonly proxy: Expression; readonly keys: readonly Expression[] } | undefined;
  /** `dict`, `list` or `Namespace`. */
  readonly proxyType: string;
}

export interface NestedMutation {
  /** The whole change: the mutating call, or the assignment/deletion target. */
  readonly node: Expression;
  readonly nested: NestedRead;
  /** The statement it happens in, and the scope of that statement. */
  readonly statement: Statement;
  readonly scope: Scope;
  /** Whether `node` is evaluated in the statement's own scope (not inside a lambda or comprehension). */
  readonly inStatementScope: boolean;
  /** `append`, `[j] = …`, `del`… for the message. */
  readonly change: string;
}

export function findNestedMutations(analysis: ModuleAnalysis): NestedMutation[] {
  // Every proxy is made by a manager call in this module; without one there is nothing to find.
  const creations = proxyCreations(analysis);
  if (!creations.some((creation) => CONTAINER_PROXIES.has(creation.type))) return [];
  const holdsProxies = proxiesStoringProxies(analysis, creations);
  const found: NestedMutation[] = [];
  const nestedRead = (expression: Expression, scope: Scope): NestedRead | undefined => {
    const read = readOfCopy(analysis, expression, scope);
    return read === undefined || holdsProxies.has(read.origin) ? undefined : read.nested;
  };
  for (const unit of analysis.scopes.units) {
    for (const candidate of unit.syntax(MUTATION_CANDIDATES, () => mutationCandidates(unit, analysis.scopes))) {
      if (candidate.kind === 'target') {
        const { node, how, statement, scope } = candidate;
        const nested = nestedRead(node.object, scope);
        if (nested === undefined) continue;
        const change = how === 'del' ? 'del' : node.kind === 'Subscript' ? `[…] ${how}` : `.${node.name?.name ?? ''} ${how}`;
        found.push({ node, nested, statement, scope, inStatementScope: true, change });
      } else {
        const { call, method, statement, statementScope, scope } = candidate;
        const nested = nestedRead((unparenthesize(call.callee) as AttributeExpression).object, scope);
        if (nested === undefined) continue;
        found.push({ node: call, nested, statement, scope, inStatementScope: scope === statementScope, change: `.${method}(…)` });
      }
    }
  }
  return found.sort((a, b) => a.node.from - b.node.from);
}

/** Where a unit may change a value read from a proxy, in the order of a walk over it. */
type MutationCandidate =
  | {
      readonly kind: 'target';
      readonly node: SubscriptExpression | AttributeExpression;
      readonly how: Target['how'];
      readonly statement: Statement;
      readonly scope: Scope;
    }
  | {
      readonly kind: 'call';
      readonly call: CallExpression;
      readonly method: string;
      /** The statement the call is in, and that statement's scope. */
      readonly statement: Statement;
      readonly statementScope: Scope;
      readonly scope: Scope;
    };

const MUTATION_CANDIDATES = factKey<readonly MutationCandidate[]>('nested mutation candidates');

function mutationCandidates(unit: ModuleUnit, scopes: ScopeTree): MutationCandidate[] {
  const found: MutationCandidate[] = [];
  let current: { statement: Statement; scope: Scope } | undefined;
  walkUnit(unit, scopes, {
    statement: (statement, scope) => {
      current = { statement, scope };
      for (const target of assignedTargets(statement)) {
        const node = unparenthesize(target.expression);
        if (node.kind === 'Subscript' || node.kind === 'Attribute') found.push({ kind: 'target', node, how: target.how, statement, scope });
      }
    },
    call: (call: CallExpression, scope) => {
      const callee = unparenthesize(call.callee);
      if (callee.kind !== 'Attribute' || callee.name === undefined || !CONTAINER_MUTATORS.has(callee.name.name) || current === undefined) return;
      found.push({ kind: 'call', call, method: callee.name.name, statement: current.statement, statementScope: current.scope, scope });
    },
  });
  return found;
}

/** `container[key] = value` / `container.name = value` in a unit: the container and the stored value. */
const STORES = factKey<readonly { readonly container: Expression; readonly value: Expression; readonly scope: Scope }[]>('stores into items');

function stores(unit: ModuleUnit, scopes: ScopeTree): { container: Expression; value: Expression; scope: Scope }[] {
  const found: { container: Expression; value: Expression; scope: Scope }[] = [];
  walkUnit(unit, scopes, {
    statement: (statement, scope) => {
      if (statement.kind !== 'Assign' || statement.value === undefined) return;
      for (const target of statement.targets.flatMap(flatten)) {
        if (target.kind === 'Subscript' || target.kind === 'Attribute') found.push({ container: target.object, value: statement.value, scope });
      }
    },
  });
  return found;
}

interface Target {
  readonly expression: Expression;
  readonly how: '=' | '+=' | 'del';
}

function assignedTargets(statement: Statement): Target[] {
  switch (statement.kind) {
    case 'Assign':
      return statement.value === undefined ? [] : statement.targets.flatMap((target) => flatten(target).map((expression) => ({ expression, how: '=' as const })));
    case 'AugAssign':
      return [{ expression: statement.target, how: '+=' }];
    case 'Delete':
      return statement.targets.flatMap((target) => flatten(target).map((expression) => ({ expression, how: 'del' as const })));
    default:
      return [];
  }
}

/** The items of a tuple or list target (`a[0], b[1] = …`). */
function flatten(target: Expression): Expression[] {
  const node = unparenthesize(target);
  if (node.kind === 'Tuple' || node.kind === 'List') return node.elements.flatMap(flatten);
  if (node.kind === 'Starred') return flatten(node.value);
  return [node];
}

/** `expression` reads a copy out of a Manager dict/list/Namespace proxy. */
function readOfCopy(
  analysis: ModuleAnalysis,
  expression: Expression,
  scope: Scope,
): { nested: NestedRead; origin: Expression } | undefined {
  const node = unparenthesize(expression);
  const proxyOf = (object: Expression, types: readonly string[]): { type: string; origin: Expression } | undefined => {
    const held = analysis.objects.classify(object, scope);
    return held?.kind === 'manager-proxy' && types.includes(held.type) ? { type: held.type, origin: held.origin.expression } : undefined;
  };
  if (node.kind === 'Subscript') {
    const proxy = proxyOf(node.object, ['dict', 'list']);
    if (proxy === undefined) return undefined;
    const sliced = node.indices.length === 0 || node.indices.some((index) => index.kind === 'Slice');
    const storeBack = sliced ? undefined : { proxy: node.object, keys: node.indices };
    return { nested: { read: node, storeBack, proxyType: proxy.type }, origin: proxy.origin };
  }
  if (node.kind === 'Call') {
    const callee = unparenthesize(node.callee);
    if (callee.kind !== 'Attribute' || callee.name?.name !== 'get') return undefined;
    const proxy = proxyOf(callee.object, ['dict']);
    const key = node.args[0];
    if (proxy === undefined || key?.kind !== 'Positional') return undefined;
    return { nested: { read: node, storeBack: { proxy: callee.object, keys: [key.value] }, proxyType: 'dict' }, origin: proxy.origin };
  }
  if (node.kind === 'Attribute' && node.name !== undefined) {
    const proxy = proxyOf(node.object, ['Namespace']);
    if (proxy === undefined) return undefined;
    return { nested: { read: node, storeBack: { proxy: node, keys: [] }, proxyType: 'Namespace' }, origin: proxy.origin };
  }
  return undefined;
}

/** Proxies whose items are copies when read (and so lose in-place changes). */
const CONTAINER_PROXIES: ReadonlySet<string> = new Set(['dict', 'list', 'Namespace']);

interface ProxyCreation {
  readonly call: CallExpression;
  readonly scope: Scope;
  readonly type: string;
}

/** `manager.dict()`, `manager.list(...)`… calls in the module. */
function proxyCreations(analysis: ModuleAnalysis): ProxyCreation[] {
  const found: ProxyCreation[] = [];
  for (const unit of analysis.scopes.units) {
    // What a call makes depends on names only (not on what parameters receive): kept per unit.
    const made = unit.resolved(PROXY_CREATIONS, () => {
      const proxies: ProxyCreation[] = [];
      for (const { call, scope } of analysis.processApi.callsOfAnyMethod(MANAGER_PROXY_METHODS, unit)) {
        const held = analysis.objects.classify(call, scope);
        if (held?.kind === 'manager-proxy') proxies.push({ call, scope, type: held.type });
      }
      return proxies;
    });
    for (const creation of made) found.push(creation);
  }
  return found;
}

const PROXY_CREATIONS = factKey<readonly ProxyCreation[]>('manager proxies made');

/** Creation sites of proxies that some code fills with other proxies. */
function proxiesStoringProxies(analysis: ModuleAnalysis, creations: readonly ProxyCreation[]): Set<Expression> {
  const found = new Set<Expression>();
  const isProxy = (value: Expression, scope: Scope): boolean =>
    analysis.objects.pickledParts(value, scope).some((part) => analysis.objects.classify(part.expression, part.scope)?.kind === 'manager-proxy');
  const store = (container: Expression, values: readonly Expression[], scope: Scope): void => {
    const held = analysis.objects.classify(container, scope);
    if (held?.kind !== 'manager-proxy') return;
    if (values.some((value) => isProxy(value, scope))) found.add(held.origin.expression);
  };
  // A proxy created with proxies inside: `manager.dict({"a": manager.list()})`.
  for (const creation of creations) {
    if (creation.call.args.some((argument) => isProxy(argument.value, creation.scope))) found.add(creation.call);
  }
  for (const unit of analysis.scopes.units) {
    for (const { container, value, scope } of unit.syntax(STORES, () => stores(unit, analysis.scopes))) store(container, [value], scope);
  }
  for (const { call, scope } of analysis.processApi.callsOfAnyMethod(CONTAINER_MUTATORS)) {
    const callee = unparenthesize(call.callee) as AttributeExpression;
    store(callee.object, call.args.map((argument) => argument.value), scope);
  }
  return found;
}
