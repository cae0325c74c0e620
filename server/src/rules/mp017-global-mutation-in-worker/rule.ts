// MP017 global-mutation-in-worker: a function that runs in a child process (a Process target,
// the `run` of a Process subclass, a Pool or executor task) declares `global x` and assigns it.
// The child has its own copy of the module (fork copies it, spawn and forkserver import it
// again), so the parent's `x` never changes: a result computed this way is silently lost.
//
// Not reported: a lazily initialised per-process cache, assigned only under a test of the same
// name (`if _cache is None: _cache = load()`, `if not _cache:`), which is meant to stay in the child;
// and Pool/executor `initializer` functions, which set globals in the workers on purpose.

import type { Binding, ChildFunction, ModuleAnalysis, Scope } from '../../analysis';
import { CONTAINER_MUTATORS } from '../../analysis/stdlib/objectApi';
import type { Block, Expression, FunctionDefinition, Identifier, NameExpression, SourceFile, Span } from '../../parser';
import { statementBlocks, statementExpressions, unparenthesize, walkExpression } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { callSnippet, lineNumber, snippet } from '../common/describe';

export const globalMutationInWorker: Rule = {
  meta: {
    code: 'MP017',
    name: 'global-mutation-in-worker',
    defaultSeverity: 'warning',
    summary: 'a function run in a child process assigns a `global`; the parent never sees the change',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    const reported = new Set<number>();
    for (const child of analysis.children.functions) {
      for (const assigned of assignedGlobals(analysis, child.definition)) {
        if (reported.has(assigned.from)) continue;
        reported.add(assigned.from);
        context.report({ span: assigned, message: message(source, child, `assigns the global \`${assigned.name}\``, assigned.name) });
      }
      for (const mutation of mutatedModuleContainers(analysis, child.definition)) {
        if (reported.has(mutation.node.from)) continue;
        reported.add(mutation.node.from);
        const what = `changes the module-level \`${mutation.name}\` (\`${snippet(source, mutation.node, 40)}\`)`;
        context.report({ span: mutation.node, message: message(source, child, what, mutation.name) });
      }
    }
  },
};

interface ContainerMutation {
  readonly node: Expression;
  readonly name: string;
}

/**
 * In-place changes, in the function's own code, to a module-level list, dict or set (a name
 * bound once, at module level, to a display or an empty constructor call): `results.append(x)`,
 * `totals[key] = n`, `del seen[key]`. Keyed writes in a function that also looks keys up
 * (`key in cache`, `cache.get(key)`) are a per-process memo cache and are left alone.
 */
function mutatedModuleContainers(analysis: ModuleAnalysis, definition: FunctionDefinition): ContainerMutation[] {
  const scope = analysis.scopes.scopeOf(definition);
  if (scope === undefined) return [];
  let changes = containerChanges.get(definition);
  if (changes === undefined) {
    changes = findContainerChanges(definition);
    containerChanges.set(definition, changes);
  }
  const { candidates, lookedUp } = changes;
  return candidates
    .filter((candidate) => !(candidate.keyed && lookedUp.has(candidate.container.name)))
    .filter((candidate) => isModuleContainer(analysis, candidate.container, scope))
    .map(({ node, container }) => ({ node, name: container.name }));
}

interface ContainerChanges {
  readonly candidates: readonly { readonly node: Expression; readonly container: NameExpression; readonly keyed: boolean }[];
  /** Names the function looks keys up in (`key in cache`, `cache.get(key)`). */
  readonly lookedUp: ReadonlySet<string>;
}

/** What a function's own code does to containers named by a plain name (depends on its syntax only). */
const containerChanges = new WeakMap<FunctionDefinition, ContainerChanges>();

function findContainerChanges(definition: FunctionDefinition): ContainerChanges {
  const candidates: { node: Expression; container: NameExpression; keyed: boolean }[] = [];
  const lookedUp = new Set<string>();
  const visitExpression = (root: Expression): void => {
    walkExpression(root, (node) => {
      if (node.kind === 'Lambda' || node.kind === 'Comprehension') return false;
      if (node.kind === 'Binary' && (node.operator === 'in' || node.operator === 'not in')) {
        const container = unparenthesize(node.right);
        if (container.kind === 'Name') lookedUp.add(container.name);
      }
      if (node.kind === 'Call') {
        const callee = unparenthesize(node.callee);
        if (callee.kind === 'Attribute' && callee.name !== undefined) {
          const object = unparenthesize(callee.object);
          if (object.kind === 'Name' && callee.name.name === 'get') lookedUp.add(object.name);
          if (object.kind === 'Name' && CONTAINER_MUTATORS.has(callee.name.name)) {
            candidates.push({ node, container: object, keyed: callee.name.name === 'setdefault' || callee.name.name === '__setitem__' });
          }
        }
      }
      return true;
    });
  };
  const visitTarget = (target: Expression): void => {
    const node = unparenthesize(target);
    if (node.kind === 'Tuple' || node.kind === 'List') node.elements.forEach(visitTarget);
    else if (node.kind === 'Subscript') {
      const object = unparenthesize(node.object);
      if (object.kind === 'Name') candidates.push({ node, container: object, keyed: true });
    }
  };
  const visitBlock = (block: Block): void => {
    for (const statement of block.statements) {
      if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') continue;
      if (statement.kind === 'Assign' && statement.value !== undefined) statement.targets.forEach(visitTarget);
      if (statement.kind === 'AugAssign') visitTarget(statement.target);
      if (statement.kind === 'Delete') statement.targets.forEach(visitTarget);
      for (const expression of statementExpressions(statement)) visitExpression(expression);
      for (const nested of statementBlocks(statement)) visitBlock(nested);
    }
  };
  visitBlock(definition.body);
  return { candidates, lookedUp };
}

function isModuleContainer(analysis: ModuleAnalysis, container: NameExpression, scope: Scope): boolean {
  if (scope.lookup(container.name) !== scope.module) return false;
  const origin = analysis.objects.soleOrigin(container, scope);
  if (origin === undefined || origin.scope !== scope.module) return false;
  const value = origin.expression;
  if (value.kind === 'List' || value.kind === 'Dict' || value.kind === 'Set') return true;
  if (value.kind === 'Comprehension') return value.form !== 'generator';
  if (value.kind !== 'Call' || value.args.length > 0) return false;
  const callee = analysis.objects.calleeName(value.callee, origin.scope);
  return callee !== undefined && CONTAINER_CONSTRUCTORS.has(callee);
}

const CONTAINER_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'builtins.list',
  'builtins.dict',
  'builtins.set',
  'collections.defaultdict',
  'collections.OrderedDict',
  'collections.Counter',
  'collections.deque',
]);

/** The first binding of each `global` name in the function's own code, outside lazy-init branches. */
function assignedGlobals(analysis: ModuleAnalysis, definition: FunctionDefinition): Identifier[] {
  const scope = analysis.scopes.scopeOf(definition);
  if (scope === undefined || scope.globalNames.size === 0) return [];
  const found: Identifier[] = [];
  for (const name of scope.globalNames) {
    const bindings = (scope.module.bindings.get(name) ?? []).filter((binding) => binding.site === scope);
    const guarded = lazyInitBodies(definition.body, name);
    const first = bindings
      .map(bindingName)
      .filter((identifier) => !guarded.some((body) => identifier.from >= body.from && identifier.to <= body.to))
      .sort((a, b) => a.from - b.from)[0];
    if (first) found.push(first);
  }
  return found.sort((a, b) => a.from - b.from);
}

function bindingName(binding: Binding): Identifier {
  if (binding.kind === 'import' || binding.kind === 'importFrom') {
    return binding.alias.asName ?? { name: binding.alias.name, from: binding.alias.from, to: binding.alias.to };
  }
  return binding.name;
}

/** Bodies of `if name is None:` / `if not name:` (and `or`/`and` combinations) in the function's own code. */
function lazyInitBodies(block: Block, name: string): Span[] {
  const bodies: Span[] = [];
  for (const statement of block.statements) {
    if (statement.kind === 'FunctionDef' || statement.kind === 'ClassDef') continue;
    if (statement.kind === 'If' && testsUnset(statement.test, name)) bodies.push(statement.body);
    for (const nested of statementBlocks(statement)) bodies.push(...lazyInitBodies(nested, name));
  }
  return bodies;
}

function testsUnset(test: Expression, name: string): boolean {
  let found = false;
  walkExpression(test, (node) => {
    if (node.kind === 'Unary' && node.operator === 'not' && isName(node.operand, name)) found = true;
    if (node.kind === 'Binary' && (node.operator === 'is' || node.operator === '==')) {
      if ((isName(node.left, name) && isNone(node.right)) || (isNone(node.left) && isName(node.right, name))) found = true;
    }
    if (node.kind === 'Binary' && node.operator === 'not in' && isName(node.right, name)) found = true;
    return !found;
  });
  return found;
}

function isName(expression: Expression, name: string): boolean {
  const node = unparenthesize(expression);
  return node.kind === 'Name' && node.name === name;
}

function isNone(expression: Expression): boolean {
  const node = unparenthesize(expression);
  return node.kind === 'Constant' && node.value === 'None';
}

function message(source: SourceFile, child: ChildFunction, what: string, name: string): string {
  const site = child.site;
  const where = 'kind' in site ? `\`${callSnippet(source, site)}\` on line ${lineNumber(source, site.from)}` : undefined;
  const runs =
    child.role === 'pool-task'
      ? `a Pool task (${where})`
      : child.role === 'executor-task'
        ? `a ProcessPoolExecutor task (${where})`
        : child.role === 'process-target'
          ? `the target of ${where}`
          : `the \`run\` method of a Process subclass`;
  return (
    `\`${child.definition.name.name}\` ${what} and runs in a child process, as ${runs}: the child changes its own ` +
    `copy of the module, and the parent's \`${name}\` keeps its old value. Send the result back instead: return it ` +
    `(task results reach the parent), put it on a Queue, or share a multiprocessing Value or a Manager object`
  );
}
