// MP012 join-before-drain: a child that put items on a multiprocessing Queue does not exit until
// its queue's feeder thread has flushed them into the pipe; if the parent joins the child before
// taking the items out and they exceed the pipe's buffer, join() waits forever (Python's
// documentation: "Joining processes that use queues").
//
// Reported on `p.join()` (no timeout) when `p` was created in the same function with
// `Process(target=f, args=(…, q, …))`, `f` is a function of this module that calls `put` on the
// parameter `q` arrives as, the parent calls `q.get()` somewhere in the same function, and on
// every path from `p.start()` to the join the parent has not taken anything out of `q` yet.
// (A loop that reads "as many items as the child sends" may run zero times on paper, so one
// path that drains is enough to stay silent.)

import type { CallObservation, Observation, TrackedObject } from '../../analysis/lifecycle';
import { factsAbout, QUEUE_GET_METHODS } from '../../analysis/lifecycle';
import type { Rule, RuleContext } from '../rule';
import { snippet } from '../common/describe';
import { callObservations, simpleReceiver } from '../common/lifecycleFindings';

export const joinBeforeDrain: Rule = {
  meta: {
    code: 'MP012',
    name: 'join-before-drain',
    defaultSeverity: 'warning',
    summary: 'Process joined before the parent drains the Queue the child fills: can deadlock',
  },
  check(context: RuleContext): void {
    const lifecycles = context.analysis.lifecycles;
    const drained = drainedQueues(lifecycles.observations);
    if (drained.size === 0) return;
    for (const observation of callObservations(lifecycles.observations, 'join')) {
      if (observation.call.args.length > 0) continue;
      for (const process of new Set(observation.facts.filter((fact) => fact.object.kind === 'process').map((fact) => fact.object))) {
        const queue = [...lifecycles.queuesFilledBy(process)].find((candidate) => drained.has(candidate) && stillFull(observation, candidate));
        if (queue === undefined) continue;
        report(context, observation, process, queue);
        break;
      }
    }
  },
};

function drainedQueues(observations: readonly Observation[]): Set<TrackedObject> {
  const found = new Set<TrackedObject>();
  for (const observation of callObservations(observations, QUEUE_GET_METHODS)) {
    for (const fact of observation.facts) if (fact.object.kind === 'queue') found.add(fact.object);
  }
  return found;
}

/** Every path to the join has the queue filling (started child, nothing taken out since). */
function stillFull(observation: CallObservation, queue: TrackedObject): boolean {
  const facts = factsAbout(observation.state, queue);
  return facts.length > 0 && facts.every((fact) => fact.phase === 'filling');
}

function report(context: RuleContext, observation: CallObservation, process: TrackedObject, queue: TrackedObject): void {
  const { source } = context;
  const name = simpleReceiver(source, observation.receiver) ?? 'p';
  const target = context.analysis.lifecycles.targetOf(process);
  let queueText = 'the queue';
  for (const [argument, objects] of process.argumentObjects) {
    if (objects.has(queue)) {
      queueText = `\`${snippet(source, argument, 30)}\``;
      break;
    }
  }
  const worker = target ? `\`${target.definition.name.name}\`` : 'the child';
  context.report({
    span: observation.call,
    message:
      `\`${name}.join()\` before the parent takes anything out of ${queueText}, which ${worker} fills with put(): ` +
      'a child does not exit until its queued data is flushed, so once that exceeds the pipe buffer join() never returns. ' +
      `Get the results from ${queueText} first, then join`,
  });
}
