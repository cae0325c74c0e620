// MP003 sync-primitive-to-pool: a multiprocessing Queue, Lock, Event, Value… sent to a Pool or
// ProcessPoolExecutor as task data. Tasks are pickled onto a queue to already-running workers,
// and these objects only travel at process creation: pickling one anywhere else raises
// `RuntimeError: Queue objects should only be shared between processes through inheritance`.
//
// No automatic fix: the right repair depends on the program (one Manager for all shared
// objects and its lifetime, or handing the object to every worker through `initializer`).

import { sentByTask, type TaskSubmission } from '../../analysis';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { callSnippet, describeHeld, madeWhere, snippet } from '../common/describe';
import { reportSpan } from '../common/spans';

export const syncPrimitiveToPool: Rule = {
  meta: {
    code: 'MP003',
    name: 'sync-primitive-to-pool',
    defaultSeverity: 'error',
    summary: 'multiprocessing Queue/Lock/Event/Value… passed as a Pool or ProcessPoolExecutor task argument',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    const reported = new Set<string>();
    for (const submission of analysis.processApi.submissions) {
      for (const sent of sentByTask(submission, analysis.objects)) {
        const held = analysis.objects.classify(sent.part.expression, sent.part.scope);
        if (held?.kind !== 'sync-primitive') continue;
        const span = reportSpan(sent.part.expression, sent.anchor, submission.call);
        // Once per place, and once per object per call (`[counter, counter]`).
        const key = `${span.from}:${span.to}`;
        const sameObject = `${submission.call.from}@${held.origin.expression.from}:${held.origin.expression.to}`;
        if (reported.has(key) || reported.has(sameObject)) continue;
        reported.add(key);
        reported.add(sameObject);
        const written = snippet(source, span, 40);
        const direct = span === sent.part.expression;
        const made = madeWhere(source, held, span);
        const call = `\`${callSnippet(source, submission.call)}\``;
        const subject = direct
          ? `\`${written}\` (${describeHeld(held)}${made ? `, from ${made}` : ''}) is sent to ${call} as task data`
          : `\`${written}\` is sent to ${call} as task data and contains ${describeHeld(held)}${made ? ` (${made})` : ''}`;
        const manager = managerType(held.type);
        context.report({
          span,
          message:
            `${subject}: ${taskWording(submission)} are ` +
            `pickled, and a ${held.type} cannot be (RuntimeError: ${runtimeTypeName(held.type)} objects should only be ` +
            `shared between processes through inheritance). Use \`manager.${manager}()\` from a \`multiprocessing.Manager()\`, ` +
            `or give it to each worker through \`initializer\`/\`initargs\``,
        });
      }
    }
  },
};

/** The SyncManager factory that makes a shareable equivalent. */
function managerType(type: string): string {
  if (type === 'SimpleQueue') return 'Queue';
  if (type === 'RawValue') return 'Value';
  if (type === 'RawArray') return 'Array';
  return type;
}

/** The class name in the RuntimeError multiprocessing raises for `type`. */
function runtimeTypeName(type: string): string {
  switch (type) {
    case 'Event':
    case 'Condition':
    case 'Barrier':
      return 'Condition';
    case 'Value':
      return 'Synchronized';
    case 'Array':
      return 'SynchronizedArray';
    case 'RawValue':
    case 'RawArray':
      return 'ctypes';
    default:
      return type;
  }
}

function taskWording(submission: TaskSubmission): string {
  return submission.api === 'pool' ? 'Pool tasks' : 'ProcessPoolExecutor tasks';
}
