// MP010 process-lifecycle: a Process object is started once, joined only after it was started,
// and its `daemon` flag is set before `start()`. Each misuse fails an assertion in
// multiprocessing: `cannot start a process twice`, `can only join a started process`,
// `process has already started`. Reported when some path from the Process's creation (in the
// same function) reaches the call or assignment in the wrong phase.

import type { Fact } from '../../analysis/lifecycle';
import type { Rule, RuleContext, RuleFix } from '../rule';
import { badPaths, describeSince, errorExpected, pathClause, simpleReceiver } from '../common/lifecycleFindings';
import { moveDaemonBeforeStart } from './moveDaemonAssignment';

const STARTED: ReadonlySet<string> = new Set(['started', 'joined']);

export const processLifecycle: Rule = {
  meta: {
    code: 'MP010',
    name: 'process-lifecycle',
    defaultSeverity: 'error',
    summary: 'Process started twice, joined before start(), or `daemon` set after start()',
  },
  check(context: RuleContext): void {
    const { source } = context;
    for (const observation of context.analysis.lifecycles.observations) {
      if (observation.kind === 'call') {
        const processes = observation.facts.filter((fact) => fact.object.kind === 'process');
        if (processes.length === 0 || errorExpected(observation.node, 'AssertionError')) continue;
        const name = simpleReceiver(source, observation.receiver) ?? 'p';
        if (observation.method === 'start') {
          const started = processes.find((fact) => STARTED.has(fact.phase));
          if (started) {
            context.report({
              span: observation.call,
              message:
                `\`${name}.start()\` on a process already ${started.phase === 'joined' ? 'started and joined (' : 'started by '}` +
                `${describeSince(source, started)}${started.phase === 'joined' ? ')' : ''}` +
                `${onSomePath(processes, observation.normalFacts, started)}: raises AssertionError: cannot start a process twice. ` +
                'Create a new Process object for each run',
            });
          }
        } else if (observation.method === 'join') {
          const unstarted = processes.find((fact) => fact.phase === 'created');
          if (unstarted) {
            context.report({
              span: observation.call,
              message:
                `\`${name}.join()\` before \`${name}.start()\`${onSomePath(processes, observation.normalFacts, unstarted)}: ` +
                'raises AssertionError: can only join a started process',
            });
          }
        }
      } else if (observation.kind === 'setAttribute' && observation.attribute === 'daemon') {
        const processes = observation.facts.filter((fact) => fact.object.kind === 'process');
        const started = processes.find((fact) => STARTED.has(fact.phase));
        if (!started || errorExpected(observation.node, 'AssertionError')) continue;
        const name = simpleReceiver(source, observation.target.object) ?? 'p';
        const fixes: RuleFix[] = [];
        const fix = moveDaemonBeforeStart(context, observation, processes);
        if (fix) fixes.push(fix);
        context.report({
          span: observation.target,
          message:
            `\`${name}.daemon\` set after ${describeSince(source, started)}${onSomePath(processes, observation.normalFacts, started)}: ` +
            'raises AssertionError: process has already started. Set it before start() or pass daemon= to the constructor',
          fixes,
        });
      }
    }
  },
};

/** " on some path" when other paths reach the same point in a phase that is fine. */
function onSomePath(facts: readonly Fact[], normalFacts: readonly Fact[], bad: Fact): string {
  const isBad = (fact: Fact): boolean => (STARTED.has(bad.phase) ? STARTED.has(fact.phase) : fact.phase === bad.phase);
  return pathClause(badPaths(facts, normalFacts.filter((fact) => fact.object.kind === 'process'), isBad));
}
