// MP014 async-result-ignored: `pool.apply_async(...)`, `map_async`, `starmap_async` and
// `executor.submit(...)` return the only handle on the task's outcome. A statement that drops
// it (and, for the pool methods, passes no `error_callback=`) loses any exception the task
// raises: nothing is printed, the work is silently missing.
//
// The receiver must be known to be a Pool, ThreadPool or ProcessPoolExecutor: created in the
// same function (followed along control flow) or resolved as one by the resolver (a name whose
// every binding makes one).

import type { CallExpression } from '../../parser';
import { unparenthesize } from '../../parser';
import { ASYNC_SUBMIT_METHODS } from '../../analysis/lifecycle';
import { factKey } from '../../analysis/moduleUnits';
import type { ModuleAnalysis } from '../../analysis';
import type { Rule, RuleContext } from '../rule';
import { snippet } from '../common/describe';
import { errorExpected } from '../common/lifecycleFindings';

const CLOSED: ReadonlySet<string> = new Set(['closed', 'terminated', 'shutdown', 'exited']);

export const asyncResultIgnored: Rule = {
  meta: {
    code: 'MP014',
    name: 'async-result-ignored',
    defaultSeverity: 'warning',
    summary: '`apply_async`/`submit` result discarded without `error_callback`: the task’s exception is lost',
  },
  check(context: RuleContext): void {
    const { analysis } = context;
    const receivers = new Map<CallExpression, 'pool' | 'executor'>();
    // Calls that raise instead of submitting: on a closed pool (MP009's finding) or where the
    // code expects the error (`with self.assertRaises(...)`).
    const refused = new Set<CallExpression>();
    for (const observation of analysis.lifecycles.observations) {
      if (observation.kind !== 'call' || !observation.discarded || !ASYNC_SUBMIT_METHODS.has(observation.method)) continue;
      const kind = observation.method === 'submit' ? 'executor' : 'pool';
      const facts = observation.facts.filter((fact) => fact.object.kind === kind);
      if (facts.length === 0) continue;
      if (errorExpected(observation.node, kind === 'pool' ? 'ValueError' : 'RuntimeError') || facts.every((fact) => CLOSED.has(fact.phase))) {
        refused.add(observation.call);
        continue;
      }
      receivers.set(observation.call, kind);
    }
    for (const submission of analysis.processApi.submissions) {
      if (!ASYNC_SUBMIT_METHODS.has(submission.method) || !isDiscarded(analysis, submission.call) || refused.has(submission.call)) continue;
      if ((submission.method === 'submit') === (submission.api === 'executor')) receivers.set(submission.call, submission.api);
    }
    for (const [call, kind] of [...receivers].sort((a, b) => a[0].from - b[0].from)) {
      const callee = unparenthesize(call.callee);
      if (callee.kind !== 'Attribute' || !callee.name) continue;
      const method = callee.name.name;
      if (kind === 'pool' && call.args.some((argument) => argument.kind === 'Keyword' && argument.name.name === 'error_callback')) continue;
      if (call.args.some((argument) => argument.kind === 'DoubleStar')) continue;
      const shown = `${snippet(context.source, callee.object, 30)}.${method}(...)`;
      const keep = kind === 'pool' ? 'keep the AsyncResult and call its get(), or pass error_callback=' : 'keep the Future and call its result() (or add_done_callback)';
      context.report({
        span: call,
        message: `the result of \`${shown}\` is discarded${kind === 'pool' ? ' and no error_callback is given' : ''}: if the task raises, the exception is silently lost. To see failures, ${keep}`,
      });
    }
  },
};

/** Calls that are a whole expression statement (their value is dropped), per unit. */
const DISCARDED_CALLS = factKey<ReadonlySet<CallExpression>>('discarded calls');

function isDiscarded(analysis: ModuleAnalysis, call: CallExpression): boolean {
  const unit = analysis.scopes.unitAt(call.from);
  if (unit === undefined) return false;
  return unit
    .syntax(DISCARDED_CALLS, () => {
      const found = new Set<CallExpression>();
      unit.walkStatements((statement) => {
        if (statement.kind !== 'Expression') return;
        const value = unparenthesize(statement.value);
        if (value.kind === 'Call') found.add(value);
      });
      return found;
    })
    .has(call);
}
