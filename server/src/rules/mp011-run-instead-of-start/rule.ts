// MP011 run-instead-of-start: `p.run()` on a Process object runs the target right here, in the
// current process, and returns when it is done: no child process, no parallelism, and no error
// to say so. `start()` is what creates the child (then `join()` waits for it).
//
// Only calls on an object known to be a Process (or an instance of a Process subclass) are
// reported; `super().run()` and `self.run()` inside a subclass are not, as `self` is not known.

import type { InstanceValue, ModuleAnalysis } from '../../analysis';
import { PROCESS_CLASSES } from '../../analysis/stdlib/multiprocessingApi';
import { unparenthesize } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { snippet } from '../common/describe';

export const CALL_START_TITLE = 'Call `start()` instead';

const RUN: ReadonlySet<string> = new Set(['run']);

export const runInsteadOfStart: Rule = {
  meta: {
    code: 'MP011',
    name: 'run-instead-of-start',
    defaultSeverity: 'warning',
    summary: '`p.run()` on a Process runs the target in the current process; `start()` starts the child',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    for (const { call, scope } of analysis.processApi.callsOfAnyMethod(RUN)) {
      const callee = unparenthesize(call.callee);
      if (callee.kind !== 'Attribute' || callee.name?.name !== 'run' || call.args.length > 0) continue;
      const receiver = analysis.resolver.resolve(callee.object, scope);
      if (receiver?.kind !== 'instance' || !isProcess(analysis, receiver)) continue;
      const name = callee.name;
      const object = snippet(source, callee.object, 30);
      context.report({
        span: call,
        message:
          `\`${object}.run()\` runs the process's target here, in the current process, and waits for it: no child ` +
          `process is started. Call \`${object}.start()\` (and \`${object}.join()\` to wait for it)`,
        fixes: [{ title: CALL_START_TITLE, edits: [{ from: name.from, to: name.to, insert: 'start' }] }],
      });
    }
  },
};

function isProcess(analysis: ModuleAnalysis, instance: InstanceValue): boolean {
  if (instance.of.kind === 'qualified') return PROCESS_CLASSES.get(instance.of.name)?.kind === 'process';
  return analysis.resolver.apiBase(instance.of.definition)?.info.kind === 'process';
}
