// MP001 missing-main-guard: a Process, Pool, Manager or ProcessPoolExecutor is created or
// started by code that runs when the module is imported. Under the spawn and forkserver start
// methods every child imports the main module again (as `__mp_main__`), so that code runs in
// the child too, and multiprocessing refuses with "An attempt has been made to start a new
// process before the current process has finished its bootstrapping phase".

import type { ModuleAnalysis, ProcessCreation, ReachedCreation } from '../../analysis';
import { visitExecutedCode } from '../../analysis';
import type { CallExpression, Expression, SourceFile, Span } from '../../parser';
import type { Rule, RuleContext } from '../rule';
import { unguardedSetStartMethods } from '../mp008-set-start-method-misuse/rule';
import { wrapInMainGuardFix } from './wrapInMainGuard';

const GUARD = '`if __name__ == "__main__":`';

export const missingMainGuard: Rule = {
  meta: {
    code: 'MP001',
    name: 'missing-main-guard',
    defaultSeverity: 'error',
    summary: 'Process, Pool, Manager or ProcessPoolExecutor started at import time, outside `if __name__ == "__main__":`',
  },
  check(context: RuleContext): void {
    const offences = findUnguardedStarts(context.analysis);
    if (offences.length === 0) return;
    // An import-time `set_start_method("spawn")` goes under the guard too: left above it, every
    // spawned child would run it again and fail (MP008).
    const moved = [...offences.map((offence) => offence.span), ...unguardedSetStartMethods(context.analysis)];
    const fix = wrapInMainGuardFix(context.source, context.analysis, moved);
    for (const offence of offences) {
      context.report({ span: offence.span, message: offence.message, fixes: fix ? [fix] : [] });
    }
  },
};

export interface UnguardedStart {
  /** The call (or `with` item) to report. */
  readonly span: Span;
  readonly message: string;
}

/**
 * Creations that run on import. Contexts fixed to `fork` are left alone: fork does not
 * re-import the main module, so the guard is not what keeps them safe.
 */
export function findUnguardedStarts(analysis: ModuleAnalysis): UnguardedStart[] {
  const source = analysis.source;
  const starts = analysis.processStarts;
  const found: UnguardedStart[] = [];
  const reported = new Set<Expression>();
  const matters = (creation: ProcessCreation): boolean => creation.startMethod !== 'fork';
  const report = (site: Expression, message: string): void => {
    if (reported.has(site)) return;
    reported.add(site);
    found.push({ span: { from: site.from, to: site.to }, message });
  };
  visitExecutedCode(source.module.body, analysis.scopes.moduleScope, analysis.scopes, {
    call(call, scope) {
      const creation = starts.creationAt(call, scope);
      if (creation) {
        if (matters(creation)) report(call, directMessage(source, creation));
        return;
      }
      const reached = starts.reachedThrough(call, scope).find((candidate) => matters(candidate.creation));
      if (reached) report(call, indirectMessage(source, call, reached));
    },
    enter(item, scope) {
      const creation = starts.creationOnEnter(item, scope);
      if (creation && matters(creation)) report(item.context, directMessage(source, creation));
    },
  });
  return found.sort((a, b) => a.span.from - b.span.from);
}

function effect(creation: ProcessCreation): string {
  switch (creation.kind) {
    case 'process':
      return 'creates a process';
    case 'pool':
      return 'starts a process pool';
    case 'manager':
      return 'starts a manager process';
    case 'executor':
      return 'creates a process pool executor';
  }
}

function directMessage(source: SourceFile, creation: ProcessCreation): string {
  const what = creation.how === 'enter' ? `\`with ${snippet(source, creation.site)}\`` : `\`${callSnippet(source, creation.site)}\``;
  return `missing main guard: ${what} ${effect(creation)} at import time, outside ${GUARD}`;
}

function indirectMessage(source: SourceFile, call: CallExpression, reached: ReachedCreation): string {
  const creation = reached.creation;
  const chain = [...reached.through.slice(1).map((inner) => `\`${callSnippet(source, inner)}\``)];
  const site = creation.how === 'enter' ? `\`with ${snippet(source, creation.site)}\`` : `\`${callSnippet(source, creation.site)}\``;
  chain.push(`${site} on line ${source.lines.lineOf(creation.site.from) + 1}`);
  return (
    `missing main guard: \`${callSnippet(source, call)}\` ${effect(creation)} at import time ` +
    `(through ${chain.join(' → ')}), outside ${GUARD}`
  );
}

/** `mp.Pool(...)`, `main()`: the callee as written, arguments elided. */
function callSnippet(source: SourceFile, site: Expression): string {
  if (site.kind !== 'Call') return snippet(source, site);
  return `${snippet(source, site.callee)}(${site.args.length > 0 ? '...' : ''})`;
}

function snippet(source: SourceFile, node: Span): string {
  const text = source.text.slice(node.from, node.to).replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
