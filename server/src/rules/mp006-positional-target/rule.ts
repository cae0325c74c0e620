// MP006 positional-target: `Process(f)`. The first parameter of Process is `group` (kept for
// symmetry with threading.Thread and always None), so the function lands there and the
// constructor fails with `AssertionError: group argument must be None for now`.
//
// Reported when the first positional argument is known not to be None: a lambda, a literal, or
// a name that resolves to a function, class or imported object.

import type { ModuleAnalysis, Scope } from '../../analysis';
import type { Expression } from '../../parser';
import { unparenthesize } from '../../parser';
import type { Rule, RuleContext, RuleFix } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { snippet } from '../common/describe';

export const USE_TARGET_KEYWORD_TITLE = 'Pass it as `target=`';

export const positionalTarget: Rule = {
  meta: {
    code: 'MP006',
    name: 'positional-target',
    defaultSeverity: 'error',
    summary: '`Process(f)`: the first positional parameter is `group`, not `target`',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    for (const construction of analysis.processApi.constructions) {
      if (construction.kind !== 'process' || construction.parameters === undefined) continue;
      const args = construction.call.args;
      const first = args[0];
      if (first?.kind !== 'Positional' || !isCertainlyNotNone(analysis, first.value, construction.scope)) continue;
      const onlyPositional = args.every((argument, index) => index === 0 || argument.kind === 'Keyword');
      const hasTarget = args.some((argument) => argument.kind === 'Keyword' && argument.name.name === 'target');
      const fix: RuleFix | undefined =
        onlyPositional && !hasTarget
          ? { title: USE_TARGET_KEYWORD_TITLE, edits: [{ from: first.value.from, to: first.value.from, insert: 'target=' }] }
          : undefined;
      const written = snippet(source, first.value, 30);
      context.report({
        span: first.value,
        message:
          `\`${written}\` is passed as \`group\`, the first parameter of \`${snippet(source, construction.call.callee)}\`, ` +
          `which must be None: the constructor fails with "AssertionError: group argument must be None for now". ` +
          `Pass the function as \`target=${written}\``,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

function isCertainlyNotNone(analysis: ModuleAnalysis, value: Expression, scope: Scope): boolean {
  const node = unparenthesize(value);
  switch (node.kind) {
    case 'Lambda':
    case 'Number':
    case 'String':
    case 'Tuple':
    case 'List':
    case 'Dict':
    case 'Set':
      return true;
    case 'Constant':
      return node.value !== 'None';
    case 'Name':
    case 'Attribute':
      return (
        analysis.resolver.resolve(node, scope) !== undefined ||
        analysis.callables.describe(node, scope) !== undefined ||
        analysis.objects.builtinName(node, scope) !== undefined
      );
    default:
      return false;
  }
}
