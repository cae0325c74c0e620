// MP004 target-called: `Process(target=f(x))` calls `f` in the parent, right there, and hands
// its result to the child as the function to run. When that result can never be callable
// (the function returns nothing, a number, a list…) the child fails with
// `TypeError: 'int' object is not callable`, or silently does nothing when it got `None`.

import type { Construction } from '../../analysis';
import { bindArgument } from '../../analysis';
import { type CallExpression, unparenthesize } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { snippet } from '../common/describe';
import { passArgumentsFix } from './passArguments';

export const targetCalled: Rule = {
  meta: {
    code: 'MP004',
    name: 'target-called',
    defaultSeverity: 'error',
    summary: '`Process(target=f(...))` calls the function in the parent instead of passing it',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    for (const construction of analysis.processApi.constructions) {
      const target = calledTarget(construction);
      if (target === undefined) continue;
      if (!analysis.callables.resultIsNeverCallable(target.call, construction.scope)) continue;
      const callee = snippet(source, target.call.callee);
      const fix = target.byKeyword ? passArgumentsFix(source, construction, target.call) : undefined;
      context.report({
        span: target.call,
        message:
          `\`target=${snippet(source, target.call)}\` calls \`${callee}\` here, in the parent, and passes its result ` +
          `(not a function) as the target: the child then fails with "object is not callable" or does nothing. ` +
          `Pass the function and its arguments: \`target=${callee}, args=(...)\``,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

interface CalledTarget {
  readonly call: CallExpression;
  readonly byKeyword: boolean;
}

function calledTarget(construction: Construction): CalledTarget | undefined {
  if (construction.kind !== 'process' || construction.parameters === undefined) return undefined;
  const lookup = bindArgument(construction.call, construction.parameters, 'target');
  if (lookup.kind !== 'given') return undefined;
  const value = unparenthesize(lookup.value);
  return value.kind === 'Call' ? { call: value, byKeyword: lookup.byKeyword } : undefined;
}
