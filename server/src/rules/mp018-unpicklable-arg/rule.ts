// MP018 unpicklable-arg: an open file, a threading lock or `queue` queue, a generator, or a
// Pool/ProcessPoolExecutor sent to another process. Pool and executor tasks are always
// pickled, so there it is an error under every start method. A Process's `args`/`kwargs` are
// pickled only by spawn and forkserver: a warning unless the code selects fork.
//
// Sockets are not reported: multiprocessing registers a reducer for them (and for
// Connection objects), so they do pass to Pool tasks and spawned children.

import type { HeldObject, SentValue } from '../../analysis';
import { sentByTask, sentToProcess } from '../../analysis';
import type { CallExpression } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { callSnippet, describeHeld, madeWhere, snippet } from '../common/describe';
import { reportSpan } from '../common/spans';

const UNPICKLABLE: ReadonlySet<string> = new Set(['file', 'thread-object', 'generator', 'pool', 'executor']);

export const unpicklableArg: Rule = {
  meta: {
    code: 'MP018',
    name: 'unpicklable-arg',
    defaultSeverity: 'error',
    summary: 'open file, threading lock, generator or Pool passed to a Pool/executor task or a Process',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    const reported = new Set<string>();
    const report = (sent: SentValue, call: CallExpression, held: HeldObject, how: string, severity?: 'warning'): void => {
      const span = reportSpan(sent.part.expression, sent.anchor, call);
      // Once per place, and once per object per call (`[lock, lock]`).
      const key = `${span.from}:${span.to}`;
      const sameObject = `${call.from}@${held.origin.expression.from}:${held.origin.expression.to}`;
      if (reported.has(key) || reported.has(sameObject)) return;
      reported.add(key);
      reported.add(sameObject);
      const written = snippet(source, span, 40);
      const made = madeWhere(source, held, span);
      const subject =
        span === sent.part.expression
          ? `\`${written}\` (${describeHeld(held)}${made ? `, from ${made}` : ''}) is sent to \`${callSnippet(source, call)}\``
          : `\`${written}\` is sent to \`${callSnippet(source, call)}\` and contains ${describeHeld(held)}${made ? ` (${made})` : ''}`;
      context.report({ span, severity, message: `${subject}: ${how}, and ${describeHeld(held)} cannot be (${pickleError(held)}). ${advice(held)}` });
    };

    for (const submission of analysis.processApi.submissions) {
      const runner = submission.api === 'pool' ? 'Pool tasks are pickled' : 'ProcessPoolExecutor tasks are pickled';
      for (const sent of sentByTask(submission, analysis.objects)) {
        const held = analysis.objects.classify(sent.part.expression, sent.part.scope);
        if (held !== undefined && UNPICKLABLE.has(held.kind)) report(sent, submission.call, held, runner);
      }
    }
    for (const construction of analysis.processApi.constructions) {
      const method = analysis.processApi.effectiveStartMethod(construction);
      if (method === 'fork') continue;
      const how =
        method === 'spawn' || method === 'forkserver'
          ? `the ${method} start method pickles a Process's arguments`
          : 'a Process\'s arguments are pickled wherever spawn or forkserver start it (macOS, Windows, Linux from Python 3.14)';
      for (const sent of sentToProcess(construction, analysis.objects)) {
        const held = analysis.objects.classify(sent.part.expression, sent.part.scope);
        if (held !== undefined && UNPICKLABLE.has(held.kind)) report(sent, construction.call, held, how, 'warning');
      }
    }
  },
};

function pickleError(held: HeldObject): string {
  switch (held.kind) {
    case 'file':
      return "TypeError: cannot pickle '_io.TextIOWrapper' object";
    case 'thread-object':
      return held.type === 'queue.SimpleQueue'
        ? "TypeError: cannot pickle '_queue.SimpleQueue' object"
        : held.type === 'threading.RLock' || held.type === 'threading.Condition'
          ? "TypeError: cannot pickle '_thread.RLock' object"
          : "TypeError: cannot pickle '_thread.lock' object";
    case 'generator':
      return "TypeError: cannot pickle 'generator' object";
    case 'pool':
      return 'NotImplementedError: pool objects cannot be passed between processes or pickled';
    default:
      return "TypeError: cannot pickle '_thread.lock' object";
  }
}

function advice(held: HeldObject): string {
  switch (held.kind) {
    case 'file':
      return 'Pass the file name and open the file in the child';
    case 'thread-object':
      return 'A thread lock or queue only works within one process: use multiprocessing\'s own (inherited by a Process) or a Manager\'s';
    case 'generator':
      return 'Pass the values instead (`list(...)`), or the arguments the child needs to make them';
    default:
      return 'Submit the work from the parent instead of passing the pool';
  }
}

