// Finds in-place changes made to a value read out of a Manager proxy: `d[k].append(x)`,
// `d[k][j] = v`, `d[k][j] += v`, `del d[k][j]`, `d.get(k).update(...)`, `ns.items.append(x)`.
// Reading `d[k]` from a dict or list proxy (or an attribute of a Namespace proxy) returns a
// copy, so the change never reaches the manager. `d[k] += x` is not one of them: augmented
// assignment stores the result back with `d[k] = …`.
//
// Proxies that hold other proxies (`d[k] = manager.list()`, supported since Python 3.6) are
// left alone: there `d[k]` is a proxy too, and changing it works.

import type { ModuleAnalysis, Scope } from '../../analysis';
import { walkWithScopes } from '../../analysis';
import { CONTAINER_MUTATORS, MANAGER_PROXY_METHODS } from '../../analysis/stdlib/objectApi';
import type { CallExpression, Expression, Statement } from '../../parser';
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
  let current: { statement: Statement; scope: Scope } | undefined;
  walkWithScopes(analysis.scopes, {
    statement: (statement, scope) => {
      current = { statement, scope };
      const targets = assignedTargets(statement);
      for (const target of targets) {
        const node = unparenthesize(target.expression);
        if (node.kind !== 'Subscript' && node.kind !== 'Attribute') continue;
        const nested = nestedRead(node.object, scope);
        if (nested === undefined) continue;
        const change =
          target.how === 'del' ? 'del' : node.kind === 'Subscript' ? `[…] ${target.how}` : `.${node.name?.name ?? ''} ${target.how}`;
        found.push({ node, nested, statement, scope, inStatementScope: true, change });
      }
    },
    call: (call: CallExpression, scope) => {
      const callee = unparenthesize(call.callee);
      if (callee.kind !== 'Attribute' || callee.name === undefined || !CONTAINER_MUTATORS.has(callee.name.name)) return;
      const nested = nestedRead(callee.object, scope);
      if (nested === undefined || current === undefined) return;
      found.push({
        node: call,
        nested,
        statement: current.statement,
        scope,
        inStatementScope: scope === current.scope,
        change: `.${callee.name.name}(…)`,
      });
    },
  });
  return found.sort((a, b) => a.node.from - b.node.from);
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
  readonly type: string;
}

/** `manager.dict()`, `manager.list(...)`… calls in the module. */
function proxyCreations(analysis: ModuleAnalysis): ProxyCreation[] {
  const found: ProxyCreation[] = [];
  for (const { call, scope } of analysis.processApi.calls) {
    const callee = unparenthesize(call.callee);
    if (callee.kind !== 'Attribute' || callee.name === undefined || !MANAGER_PROXY_METHODS.has(callee.name.name)) continue;
    const held = analysis.objects.classify(call, scope);
    if (held?.kind === 'manager-proxy') found.push({ call, type: held.type });
  }
  return found;
}

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
  const scopes = new Map(analysis.processApi.calls.map((resolved) => [resolved.call, resolved.scope]));
  // A proxy created with proxies inside: `manager.dict({"a": manager.list()})`.
  for (const creation of creations) {
    const scope = scopes.get(creation.call);
    if (scope && creation.call.args.some((argument) => isProxy(argument.value, scope))) found.add(creation.call);
  }
  walkWithScopes(analysis.scopes, {
    statement: (statement, scope) => {
      if (statement.kind !== 'Assign' || statement.value === undefined) return;
      for (const target of statement.targets.flatMap(flatten)) {
        if (target.kind === 'Subscript' || target.kind === 'Attribute') store(target.object, [statement.value], scope);
      }
    },
  });
  for (const { call, scope } of analysis.processApi.calls) {
    const callee = unparenthesize(call.callee);
    if (callee.kind === 'Attribute' && callee.name !== undefined && CONTAINER_MUTATORS.has(callee.name.name)) {
      store(callee.object, call.args.map((argument) => argument.value), scope);
    }
  }
  return found;
}
