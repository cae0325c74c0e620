// Where a finding about a value sent to another process is reported.

import type { Span } from '../../parser';

/**
 * The value itself when it is written inside the call (`pool.map(f, [q])` → `q`), else the
 * call's argument that carries it (`pool.map(f, items)` → `items`), so that the finding sits on
 * the call that sends it.
 */
export function reportSpan(value: Span, anchor: Span, call: Span): Span {
  return value.from >= call.from && value.to <= call.to ? value : anchor;
}
