// MP008 set-start-method-misuse: `multiprocessing.set_start_method(...)` where it fails with
// `RuntimeError: context has already been set`:
//
// - at import time (module level, outside `if __name__ == "__main__":`) selecting spawn or
//   forkserver: every child started that way imports the main module again, repeats the call,
//   and dies with that error (exit code 1). With "fork" the child does not re-import, and a
//   non-literal method may be fork, so neither is reported;
// - without `force=True` when, on every path to it, the method has already been set or fixed
//   (by an earlier `set_start_method`, `get_start_method()`, a no-argument `get_context()`, or a
//   Queue/Lock/Pool/Manager… created through the default context). See `startMethodPaths.ts`.

import { literalStartMethod, type ModuleAnalysis, type Scope, visitExecutedCode } from '../../analysis';
import type { CallExpression, FunctionDefinition, SourceFile } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { lineNumber, snippet } from '../common/describe';
import { factKey } from '../../analysis/moduleUnits';
import { type Fixer, type RepeatedSet, StartMethodPaths } from './startMethodPaths';

/** The repeated `set_start_method` calls of each function body of a unit that has some. */
const FUNCTION_REPEATS = factKey<Map<FunctionDefinition, readonly RepeatedSet[]>>('repeated set_start_method');

export const setStartMethodMisuse: Rule = {
  meta: {
    code: 'MP008',
    name: 'set-start-method-misuse',
    defaultSeverity: 'error',
    summary: '`set_start_method` at import time outside the main guard, or again without `force=True`',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    const reported = new Set<CallExpression>();

    // Without any set_start_method call there is nothing to check.
    if (analysis.processApi.moduleStartMethod === undefined) return;
    // Only a `set_start_method` call can be reported as repeated, so only the bodies that hold
    // one need following: the module's own code, then the functions in source order. What a
    // function's body does depends on names only: kept with its unit.
    const repeats: RepeatedSet[] = [];
    const { module, functions } = bodiesSettingTheMethod(analysis);
    if (module) {
      const paths = new StartMethodPaths(analysis);
      paths.body(source.module.body, analysis.scopes.moduleScope);
      repeats.push(...paths.repeated);
    }
    for (const definition of functions) {
      const unit = analysis.scopes.unitAt(definition.from);
      const bodies = unit?.resolved(FUNCTION_REPEATS, () => new Map<FunctionDefinition, readonly RepeatedSet[]>());
      let found = bodies?.get(definition);
      if (found === undefined) {
        const scope = analysis.scopes.scopeOf(definition);
        const paths = new StartMethodPaths(analysis);
        if (scope) paths.body(definition.body, scope);
        found = paths.repeated;
        bodies?.set(definition, found);
      }
      repeats.push(...found);
    }
    for (const repeated of repeats) {
      if (reported.has(repeated.call)) continue;
      reported.add(repeated.call);
      context.report({
        span: repeated.call,
        message:
          `\`${snippet(source, repeated.call)}\` runs after ${fixedBy(source, repeated.after)}, without \`force=True\`: ` +
          `RuntimeError: context has already been set. Set the start method once, first thing under ` +
          `\`if __name__ == "__main__":\`, or use a context (\`multiprocessing.get_context("spawn")\`) where a ` +
          `different method is wanted`,
      });
    }

    for (const call of unguardedSetStartMethods(analysis)) {
      if (reported.has(call)) continue;
      reported.add(call);
      const method = literalStartMethod(call);
      context.report({
        span: call,
        message:
          `\`${snippet(source, call)}\` runs at import time, outside \`if __name__ == "__main__":\`: every ${method} ` +
          `child imports this module again and repeats the call, which fails there with "RuntimeError: context has ` +
          `already been set" (the child exits with code 1). Move it under the main guard`,
      });
    }
  },
};

/**
 * `set_start_method("spawn"|"forkserver")` without `force=True`, run at import time. MP001's
 * fix moves these under the main guard too (see its rule).
 */
export function unguardedSetStartMethods(analysis: ModuleAnalysis): CallExpression[] {
  const found: CallExpression[] = [];
  if (analysis.processApi.setStartMethodCalls.length === 0) return found;
  visitExecutedCode(analysis.source.module.body, analysis.scopes.moduleScope, analysis.scopes, {
    call: (call, scope) => {
      if (!analysis.processApi.isSetStartMethod(call, scope) || StartMethodPaths.isForced(call)) return;
      const method = literalStartMethod(call);
      if (method === 'spawn' || method === 'forkserver') found.push(call);
    },
  });
  return found;
}

/**
 * The bodies whose own code (as StartMethodPaths follows it: not nested functions, lambdas or
 * class bodies) calls `set_start_method`.
 */
function bodiesSettingTheMethod(analysis: ModuleAnalysis): { module: boolean; functions: FunctionDefinition[] } {
  let module = false;
  const functions = new Set<FunctionDefinition>();
  for (const { scope } of analysis.processApi.setStartMethodCalls) {
    let owner: Scope | undefined = scope;
    while (owner?.kind === 'comprehension') owner = owner.parent;
    if (owner?.kind === 'module') module = true;
    else if (owner?.kind === 'function') functions.add(owner.owner as FunctionDefinition);
  }
  return { module, functions: [...functions].sort((a, b) => a.from - b.from) };
}

function fixedBy(source: SourceFile, fixer: Fixer): string {
  const where = `\`${snippet(source, fixer.call, 40)}\` on line ${lineNumber(source, fixer.call.from)}`;
  return fixer.how === 'set' ? where : `${where} fixed the start method (it uses the default context)`;
}
