// MP005 args-not-tuple: an argument tuple (`args=` of Process and `pool.apply[_async]`,
// `initargs=` of Pool and ProcessPoolExecutor) given a single value. Parentheses alone do not
// make a tuple: `args=(5)` is `args=5` and fails with `TypeError: 'int' object is not iterable`;
// `args=("abc")` is a string, so the target gets one argument per character.
//
// Only values known not to be an argument tuple are reported: literals, and names bound (everywhere)
// to literals or to multiprocessing objects. `args=(x)` with an unknown `x` may be a tuple.

import type { ModuleAnalysis, Scope } from '../../analysis';
import { bindArgument } from '../../analysis';
import type { Expression, SourceFile } from '../../parser';
import { unparenthesize } from '../../parser';
import type { Rule, RuleContext, RuleFix } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { describeHeld, snippet } from '../common/describe';

export const ADD_COMMA_TITLE = 'Make it a one-element tuple';

export const argsNotTuple: Rule = {
  meta: {
    code: 'MP005',
    name: 'args-not-tuple',
    defaultSeverity: 'error',
    summary: '`args=`/`initargs=` given a single value instead of a tuple (`args=(x)` lacks the comma)',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    const check = (value: Expression, parameter: string, scope: Scope, owner: string): void => {
      const problem = notATuple(analysis, value, scope);
      if (problem === undefined) return;
      const written = snippet(source, value);
      const parenthesized = value.kind === 'Parenthesized';
      const consequence = problem.iterable
        ? `${problem.description} is iterable, so each of its items becomes a separate argument`
        : `${problem.description} is not iterable: TypeError`;
      context.report({
        span: value,
        message:
          `\`${parameter}=${written}\` of \`${owner}\` is ${problem.description}, not a tuple` +
          `${parenthesized ? ' (parentheses alone do not make a tuple)' : ''}: ${consequence}. ` +
          `Write a one-element tuple: \`${oneTuple(source, value)}\``,
        fixes: [oneTupleFix(source, value)],
      });
    };

    for (const construction of analysis.processApi.constructions) {
      const parameters = construction.parameters;
      if (parameters === undefined) continue;
      const name = construction.kind === 'process' ? 'args' : 'initargs';
      const lookup = bindArgument(construction.call, parameters, name);
      if (lookup.kind === 'given') check(lookup.value, name, construction.scope, `${snippet(source, construction.call.callee)}(...)`);
    }
    for (const submission of analysis.processApi.submissions) {
      if (submission.method !== 'apply' && submission.method !== 'apply_async') continue;
      const lookup = bindArgument(submission.call, ['func', 'args', 'kwds'], 'args');
      if (lookup.kind === 'given') check(lookup.value, 'args', submission.scope, `${snippet(source, submission.call.callee)}(...)`);
    }
  },
};

interface NotATuple {
  /** "an int", "a string", "a multiprocessing Queue"… */
  readonly description: string;
  /** Iterating it works but yields the wrong arguments (a string's characters). */
  readonly iterable: boolean;
}

function notATuple(analysis: ModuleAnalysis, value: Expression, scope: Scope): NotATuple | undefined {
  const node = unparenthesize(value);
  const literal = literalKind(node);
  if (literal !== undefined) return literal;
  const held = analysis.objects.classify(node, scope);
  if (held !== undefined) {
    // Files, generators and Manager list/dict proxies are iterables people do pass on purpose.
    if (held.kind === 'file' || held.kind === 'generator' || held.kind === 'manager-proxy') return undefined;
    return { description: describeHeld(held), iterable: held.kind === 'sync-primitive' && held.type.endsWith('Array') };
  }
  if (node.kind !== 'Name') return undefined;
  // A name bound only to literals of one kind (`n = 5`, `for i in range(3)`).
  const origins = analysis.objects.origins(node, scope);
  if (origins === undefined) return undefined;
  let agreed: NotATuple | undefined;
  for (const origin of origins) {
    const kind = origin.entered ? undefined : literalKind(origin.expression);
    if (kind === undefined || (agreed !== undefined && agreed.description !== kind.description)) return undefined;
    agreed = kind;
  }
  return agreed;
}

function literalKind(node: Expression): NotATuple | undefined {
  switch (node.kind) {
    case 'Number':
      return { description: 'a number', iterable: false };
    case 'String':
      if (node.isBytes) return node.value === '' ? undefined : { description: 'a bytes object', iterable: true };
      // "" and "x" unpack to the same arguments as () and ("x",): nothing goes wrong.
      if (node.value !== undefined && node.value.length < 2) return undefined;
      return { description: 'a string', iterable: true };
    case 'Constant':
      return { description: node.value === 'None' ? 'None' : node.value === 'Ellipsis' ? 'Ellipsis' : 'a bool', iterable: false };
    case 'Unary':
      return node.operator !== 'not' && unparenthesize(node.operand).kind === 'Number' ? { description: 'a number', iterable: false } : undefined;
    default:
      return undefined;
  }
}

function oneTuple(source: SourceFile, value: Expression): string {
  const inner = value.kind === 'Parenthesized' ? value.inner : value;
  return `(${snippet(source, inner, 30)},)`;
}

function oneTupleFix(source: SourceFile, value: Expression): RuleFix {
  if (value.kind === 'Parenthesized') {
    return { title: ADD_COMMA_TITLE, edits: [{ from: value.inner.to, to: value.inner.to, insert: ',' }] };
  }
  return {
    title: ADD_COMMA_TITLE,
    edits: [{ from: value.from, to: value.to, insert: `(${source.text.slice(value.from, value.to)},)` }],
  };
}
