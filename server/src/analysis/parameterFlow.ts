// What a function's parameters receive, when every use of the function in the module is a call
// whose arguments can be matched to its parameters: a direct call `f(a, k=b)`, a Process with
// `target=f, args=(...), kwargs={...}`, a Pool task (`apply(f, (...))`, `map(f, items)`,
// `starmap(f, pairs)`) or an executor task (`submit(f, a)`, `map(f, items)`). This is how a
// Manager proxy handed to a worker (`pool.starmap(record, [(shared, n) ...])`) is known inside
// the worker.
//
// Precise or nothing: a function that is used in any other way (stored, passed elsewhere,
// decorated, wrapped in `functools.partial`, exported), a call with `*args`/`**kwargs` that
// may bind the parameter, or an argument tuple that is not written out, makes the parameter
// unknown.

import type { Argument, CallExpression, Expression, FunctionDefinition, NameExpression, Parameter, Statement } from '../parser';
import { statementExpressions, unparenthesize } from '../parser';
import { forEachExpressionChild } from '../parser/visit';
import { factKey, type ModuleUnit } from './moduleUnits';
import type { ObjectFlow, Origin } from './objectFlow';
import type { ProcessApiCalls } from './processApiCalls';
import type { Resolver } from './resolver';
import { unitVisits } from './scopedWalk';
import type { Scope, ScopeTree } from './scopes';
import { POOL_TASK_METHODS, STARMAP_METHODS } from './stdlib/objectApi';

/** One way a call hands values to the function's parameters. */
type Site =
  /** Positional and keyword argument expressions, as at a call. */
  | { readonly kind: 'arguments'; readonly positional: readonly Expression[]; readonly keywords: ReadonlyMap<string, Expression>; readonly scope: Scope }
  /** Each parameter i receives the elements of `iterables[i]` (`map`). */
  | { readonly kind: 'iterables'; readonly iterables: readonly Expression[]; readonly scope: Scope }
  /** Each element of `iterable` is an argument tuple (`starmap`). */
  | { readonly kind: 'tuples'; readonly iterable: Expression; readonly scope: Scope }
  /** A use that cannot be matched: the parameters are unknown. */
  | { readonly kind: 'opaque' };

type UnitSite = readonly [FunctionDefinition, Site];

interface UnitSites {
  readonly calls: readonly UnitSite[];
  readonly targets: readonly UnitSite[];
  readonly tasks: readonly UnitSite[];
  readonly mentions: readonly UnitSite[];
}

const UNIT_SITES = factKey<UnitSites>('parameter sites', 'defined functions');
const DEFINED_FUNCTIONS = factKey<readonly string[]>('defined functions');

export class ParameterFlow {
  private sites: Map<FunctionDefinition, Site[]> | undefined;

  constructor(
    private readonly scopes: ScopeTree,
    private readonly resolver: Resolver,
    private readonly api: ProcessApiCalls,
  ) {}

  /** The expressions `parameter` of `definition` receives at every use, or undefined when unknowable. */
  origins(definition: FunctionDefinition, parameter: Parameter, objects: ObjectFlow): Origin[] | undefined {
    if (parameter.kind !== 'positional' || parameter.name === undefined || definition.decorators.length > 0) return undefined;
    const sites = this.sitesByFunction().get(definition);
    if (sites === undefined || sites.length === 0) return undefined;
    // Keyword-only parameters (after `*` or `*args`) have no position.
    const starAt = definition.parameters.findIndex((candidate) => candidate.kind === 'star' || candidate.kind === 'varargs');
    const keywordOnly = starAt >= 0 && definition.parameters.indexOf(parameter) > starAt;
    const position = keywordOnly ? -1 : definition.parameters.filter((candidate) => candidate.kind === 'positional').indexOf(parameter);
    const defaultScope = this.resolver.definingScope(definition);
    const found: Origin[] = [];
    for (const site of sites) {
      const origins = this.siteOrigins(site, position, parameter, defaultScope, objects);
      if (origins === undefined) return undefined;
      found.push(...origins);
    }
    return found;
  }

  private siteOrigins(
    site: Site,
    index: number,
    parameter: Parameter,
    defaultScope: Scope | undefined,
    objects: ObjectFlow,
  ): Origin[] | undefined {
    const name = parameter.name?.name ?? '';
    switch (site.kind) {
      case 'opaque':
        return undefined;
      case 'arguments': {
        const value = (index >= 0 ? site.positional[index] : undefined) ?? site.keywords.get(name);
        if (value !== undefined) return [{ expression: unparenthesize(value), scope: site.scope, entered: false }];
        const defaultValue = parameter.defaultValue;
        if (defaultValue === undefined || defaultScope === undefined) return undefined;
        return [{ expression: unparenthesize(defaultValue), scope: defaultScope, entered: false }];
      }
      case 'iterables': {
        const iterable = index >= 0 ? site.iterables[index] : undefined;
        if (iterable === undefined) return undefined;
        const elements = objects.elements(iterable, site.scope);
        return elements !== undefined && elements.exact && elements.complete && elements.elements.length > 0 ? [...elements.elements] : undefined;
      }
      case 'tuples': {
        const elements = objects.elements(site.iterable, site.scope);
        if (elements === undefined || !elements.exact || !elements.complete || elements.elements.length === 0 || index < 0) return undefined;
        const found: Origin[] = [];
        for (const element of elements.elements) {
          const items = objects.elements(element.expression, element.scope);
          const item = items !== undefined && items.exact && items.complete ? items.elements[index] : undefined;
          if (item === undefined) return undefined;
          found.push(item);
        }
        return found;
      }
    }
  }

  /**
   * Every use of every module function: matched call sites, or `opaque` for anything else. In
   * the order of a walk over the module: direct calls, then Process targets, then tasks, then
   * other mentions (the order of a parameter's origins, and so which origin a finding names).
   */
  private sitesByFunction(): Map<FunctionDefinition, Site[]> {
    if (this.sites !== undefined) return this.sites;
    const sites = new Map<FunctionDefinition, Site[]>();
    const add = ([definition, site]: UnitSite): void => {
      const list = sites.get(definition);
      if (list) list.push(site);
      else sites.set(definition, [site]);
    };
    let functionNames: Set<string> | undefined;
    const units = this.scopes.units.map((unit) =>
      unit.resolved(UNIT_SITES, () => {
        if (functionNames === undefined) {
          functionNames = new Set<string>();
          for (const each of this.scopes.units) for (const name of each.syntax(DEFINED_FUNCTIONS, () => definedFunctions(each))) functionNames.add(name);
        }
        return this.unitSites(unit, functionNames);
      }),
    );
    for (const unit of units) unit.calls.forEach(add);
    for (const unit of units) unit.targets.forEach(add);
    for (const unit of units) unit.tasks.forEach(add);
    for (const unit of units) unit.mentions.forEach(add);
    this.sites = sites;
    return sites;
  }

  /**
   * One unit's uses of functions. Its call sites account for name expressions of its own code;
   * any other mention of a name some def in the module binds (`functionNames`, which only
   * changes with the defs, see AnalysisCache) that resolves to a function makes that function's
   * parameters unknown.
   */
  private unitSites(unit: ModuleUnit, functionNames: ReadonlySet<string>): UnitSites {
    const calls: UnitSite[] = [];
    const targets: UnitSite[] = [];
    const tasks: UnitSite[] = [];
    const mentions: UnitSite[] = [];
    /** Name expressions accounted for by a matched site. */
    const matched = new Set<Expression>();
    const functionOf = (expression: Expression | undefined, scope: Scope): FunctionDefinition | undefined => {
      const node = expression === undefined ? undefined : unparenthesize(expression);
      if (node?.kind !== 'Name') return undefined;
      const value = this.resolver.resolve(node, scope);
      if (value?.kind !== 'function') return undefined;
      matched.add(node);
      return value.definition;
    };
    const facts = this.api.unitFacts(unit);
    for (const { call, scope, callee } of facts.calls) {
      const name = unparenthesize(call.callee);
      if (callee?.kind !== 'function' || name.kind !== 'Name') continue;
      matched.add(name);
      calls.push([callee.definition, argumentsSite(call.args, scope)]);
    }
    for (const construction of facts.constructions) {
      if (construction.kind !== 'process' || construction.parameters === undefined) continue;
      const target = keywordOrPosition(construction.call, construction.parameters, 'target');
      const definition = functionOf(target, construction.scope);
      if (!definition) continue;
      const args = keywordOrPosition(construction.call, construction.parameters, 'args');
      const kwargs = keywordOrPosition(construction.call, construction.parameters, 'kwargs');
      targets.push([definition, this.tupleSite(args, kwargs, construction.scope)]);
    }
    for (const submission of facts.submissions) {
      const call = submission.call;
      if (submission.api === 'pool') {
        const shape = POOL_TASK_METHODS.get(submission.method);
        if (!shape) continue;
        const definition = functionOf(keywordOrPosition(call, shape.parameters, shape.callable), submission.scope);
        if (!definition) continue;
        if (shape.iterable) {
          const iterable = keywordOrPosition(call, shape.parameters, shape.iterable);
          if (iterable === undefined) tasks.push([definition, { kind: 'opaque' }]);
          else if (STARMAP_METHODS.has(submission.method)) tasks.push([definition, { kind: 'tuples', iterable, scope: submission.scope }]);
          else tasks.push([definition, { kind: 'iterables', iterables: [iterable], scope: submission.scope }]);
        } else {
          const args = shape.argumentTuple ? keywordOrPosition(call, shape.parameters, shape.argumentTuple) : undefined;
          const kwds = shape.keywordDict ? keywordOrPosition(call, shape.parameters, shape.keywordDict) : undefined;
          tasks.push([definition, this.tupleSite(args, kwds, submission.scope)]);
        }
        continue;
      }
      const first = call.args[0];
      const definition = first?.kind === 'Positional' ? functionOf(first.value, submission.scope) : undefined;
      if (!definition) continue;
      const rest = call.args.slice(1);
      if (submission.method === 'submit') {
        tasks.push([definition, argumentsSite(rest, submission.scope)]);
      } else if (rest.every((argument) => argument.kind === 'Positional' || argument.kind === 'Keyword')) {
        tasks.push([definition, { kind: 'iterables', iterables: rest.filter((argument) => argument.kind === 'Positional').map((argument) => argument.value), scope: submission.scope }]);
      } else {
        tasks.push([definition, { kind: 'opaque' }]);
      }
    }
    // Any other mention of a function (stored, passed on, wrapped) makes its parameters unknown.
    // Only names some def in the module binds can mean a function: resolve just those.
    const { nodes, scopes } = unitVisits(unit, this.scopes);
    for (let index = 0; index < nodes.length; index++) {
      const statement = nodes[index];
      if (statement.kind === 'Call') continue;
      const scope = scopes[index];
      forEachOwnName(statement, (name) => {
        if (!functionNames.has(name.name) || matched.has(name)) return;
        const value = this.resolver.resolve(name, scope);
        if (value?.kind === 'function') mentions.push([value.definition, { kind: 'opaque' }]);
      });
    }
    return { calls, targets, tasks, mentions };
  }

  /** `args=(a, b)`/`kwargs={"k": v}` written out (directly or through a name bound once). */
  private tupleSite(args: Expression | undefined, kwargs: Expression | undefined, scope: Scope): Site {
    const positional: Expression[] = [];
    const keywords = new Map<string, Expression>();
    if (args !== undefined) {
      const tuple = unparenthesize(args);
      if (tuple.kind !== 'Tuple' && tuple.kind !== 'List') return { kind: 'opaque' };
      if (tuple.elements.some((element) => unparenthesize(element).kind === 'Starred')) return { kind: 'opaque' };
      positional.push(...tuple.elements);
    }
    if (kwargs !== undefined) {
      const dict = unparenthesize(kwargs);
      if (dict.kind !== 'Dict') return { kind: 'opaque' };
      for (const entry of dict.entries) {
        const key = entry.key === undefined ? undefined : unparenthesize(entry.key);
        if (key?.kind !== 'String' || key.value === undefined) return { kind: 'opaque' };
        keywords.set(key.value, entry.value);
      }
    }
    return { kind: 'arguments', positional, keywords, scope };
  }
}

function argumentsSite(args: readonly Argument[], scope: Scope): Site {
  const positional: Expression[] = [];
  const keywords = new Map<string, Expression>();
  for (const argument of args) {
    if (argument.kind === 'Star' || argument.kind === 'DoubleStar') return { kind: 'opaque' };
    if (argument.kind === 'Positional') positional.push(argument.value);
    else keywords.set(argument.name.name, argument.value);
  }
  return { kind: 'arguments', positional, keywords, scope };
}

/** The argument bound to `name` (keyword, or positional before any `*`). */
function keywordOrPosition(call: CallExpression, parameters: readonly string[], name: string): Expression | undefined {
  const keyword = call.args.find((argument) => argument.kind === 'Keyword' && argument.name.name === name);
  if (keyword) return keyword.value;
  const index = parameters.indexOf(name);
  const positional: Expression[] = [];
  for (const argument of call.args) {
    if (argument.kind === 'Star') break;
    if (argument.kind === 'Positional') positional.push(argument.value);
  }
  return index >= 0 ? positional[index] : undefined;
}

/** Name expressions in a statement's own expressions (not in nested suites), lambdas included. */
function forEachOwnName(statement: Statement, each: (name: NameExpression) => void): void {
  const visit = (node: Expression): void => {
    if (node.kind === 'Name') each(node);
    else forEachExpressionChild(node, visit);
  };
  if (statement.kind === 'Error') statement.expressions.forEach(visit);
  else for (const expression of statementExpressions(statement)) visit(expression);
}

/** The names of the defs in a unit (at any depth). */
function definedFunctions(unit: ModuleUnit): string[] {
  const names: string[] = [];
  for (const [owner] of unit.scopes.owned) if ('kind' in owner && owner.kind === 'FunctionDef') names.push(owner.name.name);
  return names;
}
