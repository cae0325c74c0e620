// MP019 fork-unsafe: forking by hand or choosing the fork start method.
//
// - `os.fork()` / `os.forkpty()`: missing on Windows; in a process that runs threads the child
//   gets a copy of memory in which other threads may hold locks forever. Python 3.12+ says so:
//   `DeprecationWarning: This process (pid=…) is multi-threaded, use of fork() may lead to
//   deadlocks in the child.`
// - `get_context("fork")` / `set_start_method("fork")`: the same hazard for every child; not
//   available on Windows; unsafe on macOS, whose system libraries may crash in a forked child
//   (the reason spawn became the macOS default in Python 3.8); and no longer the Linux default
//   from Python 3.14 (forkserver), so code relying on fork semantics should say so knowingly.

import { argumentValue } from '../../analysis';
import { unparenthesize } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { snippet } from '../common/describe';

const FORK_CALLS: ReadonlySet<string> = new Set(['os.fork', 'os.forkpty']);

const FORK_CALLS_AND_METHOD_CHOICES: ReadonlySet<string> = new Set([...FORK_CALLS, 'multiprocessing.get_context', 'multiprocessing.set_start_method']);

export const forkUnsafe: Rule = {
  meta: {
    code: 'MP019',
    name: 'fork-unsafe',
    defaultSeverity: 'warning',
    summary: '`os.fork()` or the fork start method: unavailable on Windows, unsafe with threads and on macOS',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    for (const { call, callee } of analysis.processApi.callsOfAny(FORK_CALLS_AND_METHOD_CHOICES)) {
      if (callee?.kind !== 'qualified') continue;
      if (FORK_CALLS.has(callee.name)) {
        context.report({
          span: call,
          message:
            `\`${snippet(source, call)}\` does not exist on Windows, and forking a process that runs threads can leave ` +
            `the child deadlocked on a lock another thread held (Python 3.12+ warns: "DeprecationWarning: This process ` +
            `is multi-threaded, use of fork() may lead to deadlocks in the child"). Prefer multiprocessing or ` +
            `subprocess with the spawn or forkserver start method`,
        });
        continue;
      }
      if (callee.name !== 'multiprocessing.get_context' && callee.name !== 'multiprocessing.set_start_method') continue;
      const method = argumentValue(call, ['method'], 'method');
      const literal = method === undefined ? undefined : unparenthesize(method);
      if (literal?.kind !== 'String' || literal.value !== 'fork') continue;
      context.report({
        span: call,
        message:
          `\`${snippet(source, call)}\` selects the fork start method: it is not available on Windows, unsafe on ` +
          `macOS (system libraries may crash in a forked child; spawn is the default there since Python 3.8), and ` +
          `deadlock-prone when the parent runs threads (Python 3.12+ warns); Linux moves to forkserver by default in ` +
          `Python 3.14. Prefer "spawn" or "forkserver" unless the code relies on fork`,
      });
    }
  },
};
