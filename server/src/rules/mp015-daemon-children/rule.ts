// MP015 daemon-children: code that starts processes, running in a daemonic process. Pool
// workers are daemonic, and so is a Process created with `daemon=True` (or whose `daemon` is set
// to True before `start()`); `BaseProcess.start()` refuses there with
// `AssertionError: daemonic processes are not allowed to have children`, under every start
// method. Followed through the functions, methods and classes of the module that the task or
// target calls.
//
// A ProcessPoolExecutor is not reported: constructing one starts nothing (its workers start on
// the first `submit`), and executor workers themselves are not daemonic.

import type { ChildFunction, ReachedCreation } from '../../analysis';
import type { Expression, SourceFile } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { skippingExpectedFailures } from '../common/expectedFailures';
import { callSnippet, lineNumber } from '../common/describe';

export const daemonChildren: Rule = {
  meta: {
    code: 'MP015',
    name: 'daemon-children',
    defaultSeverity: 'error',
    summary: 'Pool or Process created inside a Pool task or a daemon process target',
  },
  check(ruleContext: RuleContext): void {
    const context = skippingExpectedFailures(ruleContext);
    const { analysis, source } = context;
    const reported = new Set<Expression>();
    for (const child of analysis.children.functions) {
      if (!child.daemonic) continue;
      for (const reached of analysis.processStarts.creationsWhenCalled(child.definition)) {
        if (reached.creation.kind === 'executor') continue;
        const site = reached.through[0] ?? reached.creation.site;
        if (reported.has(site)) continue;
        reported.add(site);
        context.report({ span: site, message: message(source, child, reached, site) });
      }
    }
  },
};

function message(source: SourceFile, child: ChildFunction, reached: ReachedCreation, site: Expression): string {
  const name = child.definition.name.name;
  const creation = reached.creation;
  const what = creation.how === 'enter' ? `\`with ${callSnippet(source, creation.site)}\`` : `\`${callSnippet(source, creation.site)}\``;
  const chain = [...reached.through.slice(1).map((call) => `\`${callSnippet(source, call)}\``), `${what} on line ${lineNumber(source, creation.site.from)}`];
  const lead = site === creation.site ? what : `\`${callSnippet(source, site)}\``;
  const through = site === creation.site ? '' : ` (through ${chain.join(' → ')})`;
  const runSite = child.site;
  const where = `\`${'kind' in runSite ? callSnippet(source, runSite) : runSite.name}\` on line ${lineNumber(source, runSite.from)}`;
  const runsIn =
    child.role === 'pool-task'
      ? `\`${name}\` runs in a Pool worker (${where}), and Pool workers are daemonic`
      : `\`${name}\` runs in a daemonic process (${where})`;
  const remedy =
    child.role === 'pool-task'
      ? 'Start them from the parent, or run the task in a ProcessPoolExecutor, whose workers are not daemonic'
      : 'Start them from the parent, or do not make this process a daemon';
  return `${lead} starts a child process${through}, but ${runsIn}: AssertionError: daemonic processes are not allowed to have children. ${remedy}`;
}
