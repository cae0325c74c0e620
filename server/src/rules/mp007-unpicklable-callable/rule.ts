// MP007 unpicklable-callable: a lambda or a function defined inside another function, given to
// another process as the function to run. Functions are pickled by their qualified name, and a
// lambda (`<lambda>`) or a local function (`main.<locals>.inner`) cannot be found by name:
// `AttributeError: Can't pickle local object 'main.<locals>.inner'` (3.13: "Can't get local
// object"), or for a module-level lambda `PicklingError: … attribute lookup <lambda> on
// __main__ failed`. `functools.partial` of one fails the same way.
//
// Severity: Pool and ProcessPoolExecutor tasks are always pickled, so that is an error under
// every start method. A Process target is pickled only by spawn and forkserver: an error when
// the code selects one of them (a context, a class such as SpawnProcess, or `set_start_method`
// in the module), nothing under fork, and a warning when the platform default decides (spawn
// on macOS and Windows, fork on Linux up to Python 3.13, forkserver on Linux from 3.14).

import type { CallableInfo, ModuleAnalysis, Scope } from '../../analysis';
import { processTarget, taskCallable } from '../../analysis';
import type { FunctionDefinition, LambdaExpression, SourceFile } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { callSnippet, snippet } from '../common/describe';

export const unpicklableCallable: Rule = {
  meta: {
    code: 'MP007',
    name: 'unpicklable-callable',
    defaultSeverity: 'error',
    summary: 'lambda or nested function given to a Pool/executor, or as a Process target under spawn/forkserver',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    for (const submission of analysis.processApi.submissions) {
      const callable = taskCallable(submission);
      if (callable === undefined) continue;
      const info = analysis.callables.describe(callable, submission.scope);
      if (info === undefined || info.kind === 'function') continue;
      const runner = submission.api === 'pool' ? 'Pool' : 'ProcessPoolExecutor';
      context.report({
        span: callable,
        message:
          `${describe(analysis, source, info)} cannot be pickled, and ${runner} pickles the function of every task ` +
          `(${pickleError(analysis, info)}, under every start method). ${remedy(info)}`,
      });
    }
    for (const construction of analysis.processApi.constructions) {
      const target = processTarget(construction);
      if (target === undefined) continue;
      const info = analysis.callables.describe(target, construction.scope);
      if (info === undefined || info.kind === 'function') continue;
      const method = analysis.processApi.effectiveStartMethod(construction);
      if (method === 'fork') continue;
      const call = callSnippet(source, construction.call);
      if (method === 'spawn' || method === 'forkserver') {
        context.report({
          span: target,
          message:
            `${describe(analysis, source, info)} cannot be pickled, and the ${method} start method pickles the target ` +
            `of \`${call}\` (${pickleError(analysis, info)}). ${remedy(info)}`,
        });
      } else {
        context.report({
          span: target,
          severity: 'warning',
          message:
            `${describe(analysis, source, info)} cannot be pickled: as the target of \`${call}\` it works only with the ` +
            `fork start method (Linux up to Python 3.13) and fails where spawn or forkserver start the process ` +
            `(macOS, Windows, Linux from Python 3.14): ${pickleError(analysis, info)}. ${remedy(info)}`,
        });
      }
    }
  },
};

function describe(analysis: ModuleAnalysis, source: SourceFile, info: Exclude<CallableInfo, { kind: 'function' }>): string {
  const wrapped = info.partial ? ' (inside `functools.partial`)' : '';
  if (info.kind === 'lambda') return `The lambda \`${snippet(source, info.lambda, 30)}\`${wrapped}`;
  const enclosing = enclosingName(analysis, info.definition);
  return `\`${info.definition.name.name}\`${wrapped}, defined inside \`${enclosing}\`,`;
}

function pickleError(analysis: ModuleAnalysis, info: Exclude<CallableInfo, { kind: 'function' }>): string {
  const node = info.kind === 'lambda' ? info.lambda : info.definition;
  const scope = analysis.scopes.scopeOf(node)?.parent;
  if (info.kind === 'lambda' && scope !== undefined && !isInsideFunction(scope)) {
    return 'PicklingError: attribute lookup <lambda> on __main__ failed';
  }
  return `AttributeError: Can't pickle local object '${qualifiedName(analysis, node)}'`;
}

function remedy(info: Exclude<CallableInfo, { kind: 'function' }>): string {
  return info.kind === 'lambda'
    ? 'Define it with `def` at module level and pass that function'
    : `Move \`${info.definition.name.name}\` to module level (pass what it uses from the enclosing function as arguments)`;
}

/** `main.<locals>.inner`, as Python's `__qualname__` spells it. */
function qualifiedName(analysis: ModuleAnalysis, node: FunctionDefinition | LambdaExpression): string {
  const parts: string[] = [node.kind === 'Lambda' ? '<lambda>' : node.name.name];
  for (let scope = analysis.scopes.scopeOf(node)?.parent; scope && scope.kind !== 'module'; scope = scope.parent) {
    const owner = scope.owner;
    if (!('kind' in owner)) break;
    if (owner.kind === 'FunctionDef') parts.unshift(`${owner.name.name}.<locals>`);
    else if (owner.kind === 'Lambda') parts.unshift('<lambda>.<locals>');
    else if (owner.kind === 'ClassDef') parts.unshift(owner.name.name);
  }
  return parts.join('.');
}

function enclosingName(analysis: ModuleAnalysis, definition: FunctionDefinition): string {
  for (let scope = analysis.scopes.scopeOf(definition)?.parent; scope; scope = scope.parent) {
    const owner = scope.owner;
    if (!('kind' in owner)) break;
    if (owner.kind === 'FunctionDef') return `${owner.name.name}()`;
    if (owner.kind === 'Lambda') return 'a lambda';
  }
  return 'a function';
}

function isInsideFunction(scope: Scope): boolean {
  for (let current: Scope | undefined = scope; current; current = current.parent) {
    if (current.kind === 'function' || current.kind === 'lambda') return true;
  }
  return false;
}

