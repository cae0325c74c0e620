// MP021 bad-worker-count: a worker count written as a constant that the constructor refuses.
//
// - `Pool(0)`, `Pool(processes=-1)`: `ValueError: Number of processes must be at least 1`;
// - `ProcessPoolExecutor(max_workers=0)`: `ValueError: max_workers must be greater than 0`;
// - `ProcessPoolExecutor(max_workers=64)`: on Windows `ValueError: max_workers must be <= 61`
//   (it waits on at most 63 handles, two of which it needs itself); elsewhere it works, so this
//   one is a warning.
//
// Only integer literals and constant arithmetic on them (`-1`, `2 * 40`) are evaluated; names
// are not. The fix replaces the value with the nearest accepted one (1, or 61).

import { bindArgument } from '../../analysis';
import { MAX_WINDOWS_WORKERS } from '../../analysis/stdlib/objectApi';
import type { Expression } from '../../parser';
import { unparenthesize } from '../../parser';
import type { Rule, RuleContext, RuleFix } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { snippet } from '../common/describe';

export const clampTitle = (value: number): string => `Use ${value}`;

export const badWorkerCount: Rule = {
  meta: {
    code: 'MP021',
    name: 'bad-worker-count',
    defaultSeverity: 'error',
    summary: '`Pool(0)`, a negative worker count, or `max_workers` above 61 (the Windows limit)',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    for (const construction of analysis.processApi.constructions) {
      if (construction.kind === 'process' || construction.parameters === undefined) continue;
      const parameter = construction.kind === 'pool' ? 'processes' : 'max_workers';
      const lookup = bindArgument(construction.call, construction.parameters, parameter);
      if (lookup.kind !== 'given') continue;
      const count = constantInteger(lookup.value);
      if (count === undefined) continue;
      const written = snippet(source, lookup.value, 30);
      const callee = snippet(source, construction.call.callee, 40);
      const fix = (value: number): RuleFix => ({
        title: clampTitle(value),
        edits: [{ from: lookup.value.from, to: lookup.value.to, insert: String(value) }],
      });
      if (count < 1) {
        const error =
          construction.kind === 'pool' ? 'ValueError: Number of processes must be at least 1' : 'ValueError: max_workers must be greater than 0';
        context.report({
          span: lookup.value,
          message: `\`${callee}(${parameter}=${written})\` asks for ${count} workers: the constructor raises "${error}". Use at least 1 (or None for one per CPU)`,
          fixes: [fix(1)],
        });
      } else if (construction.kind === 'executor' && count > MAX_WINDOWS_WORKERS) {
        context.report({
          span: lookup.value,
          severity: 'warning',
          message:
            `\`${callee}(${parameter}=${written})\` asks for ${count} workers: on Windows ProcessPoolExecutor allows at most ` +
            `${MAX_WINDOWS_WORKERS} and raises "ValueError: max_workers must be <= ${MAX_WINDOWS_WORKERS}"`,
          fixes: [fix(MAX_WINDOWS_WORKERS)],
        });
      }
    }
  },
};

/** The value of an integer constant expression: literals, unary minus/plus, `+ - * //`. */
export function constantInteger(expression: Expression): number | undefined {
  const node = unparenthesize(expression);
  switch (node.kind) {
    case 'Number':
      return integerLiteral(node.text);
    case 'Unary': {
      const operand = constantInteger(node.operand);
      if (operand === undefined) return undefined;
      if (node.operator === '-') return -operand;
      if (node.operator === '+') return operand;
      return undefined;
    }
    case 'Binary': {
      const left = constantInteger(node.left);
      const right = constantInteger(node.right);
      if (left === undefined || right === undefined) return undefined;
      switch (node.operator) {
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '//':
          return right === 0 ? undefined : Math.floor(left / right);
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

function integerLiteral(text: string): number | undefined {
  const clean = text.replace(/_/g, '').toLowerCase();
  let value: number;
  if (/^0x[0-9a-f]+$/.test(clean)) value = parseInt(clean.slice(2), 16);
  else if (/^0o[0-7]+$/.test(clean)) value = parseInt(clean.slice(2), 8);
  else if (/^0b[01]+$/.test(clean)) value = parseInt(clean.slice(2), 2);
  else if (/^[0-9]+$/.test(clean)) value = parseInt(clean, 10);
  else return undefined;
  return Number.isSafeInteger(value) ? value : undefined;
}
