// Code that a test runs in order to see it fail: the body of `with self.assertRaises(...)`,
// `with self.assertRaisesRegex(...)` or `with pytest.raises(...)`. A finding that says "this
// raises" is what such code intends, so the call-shape and data-flow rules do not report there.

import type { ModuleAnalysis } from '../../analysis';
import type { Span } from '../../parser';
import type { RuleContext } from '../rule';
import { expectsException } from '../../analysis/exceptionContexts';
import { factKey } from '../../analysis/moduleUnits';

/** Per unit: the bodies of its `with` blocks that expect an exception. */
const EXPECTING_BODIES = factKey<readonly Span[]>('bodies expecting failure');

/** Whether `span` lies in the body of a `with` block that expects an exception. */
export function expectsFailure(analysis: ModuleAnalysis, span: Span): boolean {
  // Such a body lies within one top-level statement, the one `span` starts in.
  const unit = analysis.scopes.unitAt(span.from);
  if (unit === undefined) return false;
  const bodies = unit.syntax(EXPECTING_BODIES, () => {
    const found: Span[] = [];
    unit.walkStatements((statement) => {
      if (statement.kind !== 'With') return;
      if (statement.items.some((item) => expectsException(item.context))) found.push(statement.body);
    });
    return found;
  });
  return bodies.some((body) => span.from >= body.from && span.to <= body.to);
}

/** The rule context, with reports inside expected-failure blocks dropped. */
export function skippingExpectedFailures(context: RuleContext): RuleContext {
  return {
    source: context.source,
    analysis: context.analysis,
    report: (report) => {
      if (!expectsFailure(context.analysis, report.span)) context.report(report);
    },
  };
}
