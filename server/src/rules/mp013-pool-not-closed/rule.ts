// MP013 pool-not-closed: a Pool or ProcessPoolExecutor that is neither managed by `with` nor
// closed, terminated or shut down on every path out of the function that made it keeps its
// worker processes until garbage collection or interpreter exit; an unclosed Pool warns
// `ResourceWarning: unclosed running multiprocessing pool` and can hang at exit.
//
// Paths are the normal ones: returns and falling off the end (a path that raises is already
// failing). A pool that escapes — returned, stored in an attribute or a container, passed to a
// call, used by a nested function — is someone else's to close and is not reported.
//
// Only pools made in functions are judged: there, the last name for the pool goes away at the
// return and every call leaks another set of workers. A pool made by module-level code (a
// script's `if __name__ == "__main__":` block) lives as long as the program, and
// multiprocessing's exit handler terminates it; flagging it would flag nearly every script.

import type { TrackedObject } from '../../analysis/lifecycle';
import type { Rule, RuleContext, RuleFix } from '../rule';
import { callText } from '../common/lifecycleFindings';
import { convertToWithFix } from './convertToWith';

const CLOSED: ReadonlySet<string> = new Set(['closed', 'terminated', 'shutdown', 'exited']);

export const poolNotClosed: Rule = {
  meta: {
    code: 'MP013',
    name: 'pool-not-closed',
    defaultSeverity: 'warning',
    summary: 'Pool or ProcessPoolExecutor neither used in `with` nor closed/shut down on every path',
  },
  check(context: RuleContext): void {
    const reported = new Set<TrackedObject>();
    const lifecycles = context.analysis.lifecycles;
    for (const observation of lifecycles.observations) {
      if (observation.kind !== 'exit') continue;
      for (const fact of observation.facts) {
        const object = fact.object;
        if ((object.kind !== 'pool' && object.kind !== 'executor') || reported.has(object) || !madeInFunction(object)) continue;
        if (fact.phase !== 'running' || fact.escaped || lifecycles.createdWhereErrorExpected(object)) continue;
        reported.add(object);
        const closedSomewhere = observation.facts.some((candidate) => candidate.object === object && CLOSED.has(candidate.phase));
        report(context, object, closedSomewhere);
      }
    }
  },
};

function madeInFunction(object: TrackedObject): boolean {
  const owner = object.body.owner;
  return 'kind' in owner && owner.kind === 'FunctionDef';
}

function report(context: RuleContext, object: TrackedObject, closedSomewhere: boolean): void {
  const created = `\`${callText(context.source, object.site)}\``;
  const owner = object.body.owner;
  const where = 'kind' in owner && owner.kind === 'FunctionDef' ? ` out of \`${owner.name.name}()\`` : '';
  const fixes: RuleFix[] = [];
  const fix = convertToWithFix(context, object);
  if (fix) fixes.push(fix);
  const message =
    object.kind === 'pool'
      ? `${created} is ${closedSomewhere ? `not closed on every path${where}` : 'never closed'}: use \`with\`, or call close() and ` +
        'join() (or terminate()) when done. An open pool keeps its worker processes ' +
        '(ResourceWarning: unclosed running multiprocessing pool) and can hang the interpreter at exit'
      : `${created} is ${closedSomewhere ? `not shut down on every path${where}` : 'never shut down'}: use \`with\`, or call shutdown() ` +
        'when done. Its worker processes stay alive until it is garbage-collected or the interpreter exits';
  context.report({ span: object.site, message, fixes });
}
