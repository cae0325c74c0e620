// MP002 pool-join-before-close: `pool.join()` raises `ValueError: Pool is still running` unless
// `close()` or `terminate()` was called first. Reported when some path from the pool's creation
// (in the same function) reaches the join without either — the path on which the error is
// raised. A pool created elsewhere (a parameter, `self.pool` set in another method) is unknown
// and never reported.

import type { Fact } from '../../analysis/lifecycle';
import type { Rule, RuleContext, RuleFix } from '../rule';
import { lineNumber } from '../common/describe';
import { badPaths, callObservations, callText, errorExpected, insertBefore, simpleReceiver } from '../common/lifecycleFindings';

export const INSERT_CLOSE_TITLE = 'Call `close()` before `join()`';

export const poolJoinBeforeClose: Rule = {
  meta: {
    code: 'MP002',
    name: 'pool-join-before-close',
    defaultSeverity: 'error',
    summary: '`pool.join()` reached without `close()` or `terminate()` before it: raises ValueError: Pool is still running',
  },
  check(context: RuleContext): void {
    const { source, analysis } = context;
    for (const observation of callObservations(analysis.lifecycles.observations, 'join')) {
      const pools = observation.facts.filter((fact) => fact.object.kind === 'pool');
      const running = pools.filter((fact) => fact.phase === 'running');
      if (running.length === 0 || errorExpected(observation.node, 'ValueError')) continue;
      const receiver = simpleReceiver(source, observation.receiver);
      const shown = receiver ?? 'pool';
      const paths = badPaths(pools, observation.normalFacts.filter((fact) => fact.object.kind === 'pool'), (fact) => fact.phase === 'running');
      const closeOrTerminate = `\`${shown}.close()\` or \`${shown}.terminate()\``;
      const message =
        `\`${shown}.join()\` while the pool is still running: ` +
        (paths === 'every'
          ? `no ${closeOrTerminate} comes before it. join() raises ValueError: Pool is still running`
          : paths === 'some'
            ? `on some path from ${creation(context, running[0])} no ${closeOrTerminate} comes before it. ` +
              'join() raises ValueError: Pool is still running'
            : `when an exception is raised before ${closeOrTerminate} ran, this code joins a pool nobody closed. ` +
              'join() then raises ValueError: Pool is still running, hiding the original exception') +
        `. Call \`${shown}.close()\` first`;
      const fixes: RuleFix[] = [];
      const statement = observation.node.kind === 'statement' ? observation.node.statement : undefined;
      if (receiver !== undefined && statement !== undefined && !source.hasErrorWithin(statement)) {
        fixes.push({ title: INSERT_CLOSE_TITLE, edits: [insertBefore(source, statement, `${receiver}.close()`)] });
      }
      context.report({ span: observation.call, message, fixes });
    }
  },
};

function creation(context: RuleContext, fact: Fact): string {
  return `\`${callText(context.source, fact.object.site)}\` (line ${lineNumber(context.source, fact.object.site.from)})`;
}
