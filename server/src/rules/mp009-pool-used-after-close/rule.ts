// MP009 pool-used-after-close: a Pool refuses work once `close()` or `terminate()` was called
// or its `with` block ended (`ValueError: Pool not running`), and so does entering it in a new
// `with`; a ProcessPoolExecutor refuses `submit`/`map` after `shutdown()` or its `with` block
// (`RuntimeError: cannot schedule new futures after shutdown`). Reported when some path from
// the object's creation (in the same function) reaches the call after one of those.

import type { Fact, Observation } from '../../analysis/lifecycle';
import { EXECUTOR_TASK_METHODS, POOL_TASK_METHODS } from '../../analysis/lifecycle';
import type { Span } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { badPaths, describeSince, errorExpected, pathClause, simpleReceiver } from '../common/lifecycleFindings';

const POOL_CLOSED: ReadonlySet<string> = new Set(['closed', 'terminated', 'exited']);
const EXECUTOR_SHUT_DOWN: ReadonlySet<string> = new Set(['shutdown', 'exited']);

export const poolUsedAfterClose: Rule = {
  meta: {
    code: 'MP009',
    name: 'pool-used-after-close',
    defaultSeverity: 'error',
    summary: 'Pool or executor given work after close()/terminate()/shutdown() or after its `with` block',
  },
  check(context: RuleContext): void {
    const { source } = context;
    for (const observation of context.analysis.lifecycles.observations) {
      if (observation.kind === 'call') {
        const { method } = observation;
        const receiver = simpleReceiver(source, observation.receiver) ?? 'pool';
        if (POOL_TASK_METHODS.has(method)) {
          const closed = firstIn(observation.facts, 'pool', POOL_CLOSED);
          if (closed && !errorExpected(observation.node, 'ValueError')) {
            report(context, observation, observation.call, `\`${receiver}.${method}()\``, closed, 'ValueError: Pool not running');
          }
        }
        if (EXECUTOR_TASK_METHODS.has(method)) {
          const shut = firstIn(observation.facts, 'executor', EXECUTOR_SHUT_DOWN);
          if (shut && !errorExpected(observation.node, 'RuntimeError')) {
            report(context, observation, observation.call, `\`${receiver}.${method}()\``, shut, 'RuntimeError: cannot schedule new futures after shutdown');
          }
        }
      } else if (observation.kind === 'enter') {
        const closed = firstIn(observation.facts, 'pool', POOL_CLOSED);
        if (closed && !errorExpected(observation.node, 'ValueError')) {
          const what = `\`with ${simpleReceiver(source, observation.item.context) ?? 'pool'}\``;
          report(context, observation, observation.item.context, what, closed, 'ValueError: Pool not running');
        }
      }
    }
  },
};

function firstIn(facts: readonly Fact[], kind: 'pool' | 'executor', phases: ReadonlySet<string>): Fact | undefined {
  return facts.find((fact) => fact.object.kind === kind && phases.has(fact.phase));
}

function report(context: RuleContext, observation: Observation & { readonly facts: readonly Fact[] }, span: Span, what: string, fact: Fact, error: string): void {
  const kind = fact.object.kind;
  const closed = kind === 'pool' ? POOL_CLOSED : EXECUTOR_SHUT_DOWN;
  const paths = badPaths(
    observation.facts.filter((candidate) => candidate.object.kind === kind),
    observation.normalFacts.filter((candidate) => candidate.object.kind === kind),
    (candidate) => closed.has(candidate.phase),
  );
  const object = kind === 'pool' ? 'the pool' : 'the executor';
  context.report({
    span,
    message: `${what} after ${describeSince(context.source, fact)}${pathClause(paths)}: ${object} no longer accepts work and this raises ${error}`,
  });
}
