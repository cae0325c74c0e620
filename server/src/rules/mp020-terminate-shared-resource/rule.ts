// MP020 terminate-shared-resource: `terminate()` (SIGTERM) and `kill()` (SIGKILL) stop a child
// wherever it is. If it was in the middle of using a Queue, a Pipe or a Lock it shares with
// other processes, that resource is left broken: a half-written message that makes the next
// `get()` hang, a lock never released (Python's documentation: "Avoid terminating processes").
//
// Reported on `p.terminate()`/`p.kill()` when `p` was created in the same function and its
// creation passes a multiprocessing Queue, Pipe end or Lock created in the same function
// (in `args=`, `kwargs=` or the constructor's arguments), or its target is a function of this
// module that uses such an object held in a module-level name. Not reported on paths where
// `p.join()` (without a timeout) has already returned: the child is gone, terminating it does
// nothing.

import type { CallObservation, TrackedObject } from '../../analysis/lifecycle';
import { globalSharedResources, SHARED_RESOURCE_KINDS } from '../../analysis/lifecycle';
import type { Rule, RuleContext } from '../rule';
import { snippet } from '../common/describe';
import { simpleReceiver } from '../common/lifecycleFindings';

const STOPPING_METHODS: ReadonlySet<string> = new Set(['terminate', 'kill']);

export const terminateSharedResource: Rule = {
  meta: {
    code: 'MP020',
    name: 'terminate-shared-resource',
    defaultSeverity: 'warning',
    summary: '`terminate()`/`kill()` on a process that uses a shared Queue, Pipe or Lock can leave it broken',
  },
  check(context: RuleContext): void {
    for (const observation of context.analysis.lifecycles.observations) {
      if (observation.kind !== 'call' || !STOPPING_METHODS.has(observation.method)) continue;
      const alive = observation.facts.filter((fact) => fact.object.kind === 'process' && fact.phase !== 'joined');
      for (const process of new Set(alive.map((fact) => fact.object))) {
        const shared = sharedResource(context, process);
        if (shared === undefined) continue;
        report(context, observation, shared);
        break;
      }
    }
  },
};

function sharedResource(context: RuleContext, process: TrackedObject): string | undefined {
  const { source } = context;
  for (const [argument, objects] of process.argumentObjects) {
    const resource = [...objects].find((object) => SHARED_RESOURCE_KINDS.has(object.kind));
    if (resource) return `${describe(resource)} \`${snippet(source, argument, 30)}\``;
  }
  const target = context.analysis.lifecycles.targetOf(process);
  if (target === undefined) return undefined;
  const [global] = globalSharedResources(target.definition, context.analysis.resolver);
  if (global === undefined) return undefined;
  const kind = global.kind === 'queue' ? 'Queue' : global.kind === 'lock' ? 'Lock' : 'Pipe end';
  return `the ${kind} \`${global.name}\` (a module-level name \`${target.definition.name.name}\` uses)`;
}

function describe(object: TrackedObject): string {
  const name = object.className.split('.').pop() ?? object.className;
  return object.kind === 'connection' ? 'the Pipe end' : `the ${name}`;
}

function report(context: RuleContext, observation: CallObservation, shared: string): void {
  const name = simpleReceiver(context.source, observation.receiver) ?? 'p';
  context.report({
    span: observation.call,
    message:
      `\`${name}.${observation.method}()\` stops a process that uses ${shared}: if the child is in the middle of using it, ` +
      'it stays broken for every other process (a half-sent message, a lock never released). ' +
      'Ask the child to stop (an Event, a sentinel on the queue) and join it instead',
  });
}
