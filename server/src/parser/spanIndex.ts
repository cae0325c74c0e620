// "Does any of these spans touch [from, to]?" in O(log n), for spans sorted by `from` that may
// nest (error nodes can contain error nodes), so their `to`s are not sorted.

import type { Span } from './syntax';

export class SpanIndex {
  /** maxTo[i]: the largest `to` among spans[0..i]. */
  private readonly maxTo: number[];

  constructor(private readonly spans: readonly Span[]) {
    this.maxTo = [];
    let max = -Infinity;
    for (const span of spans) {
      max = Math.max(max, span.to);
      this.maxTo.push(max);
    }
  }

  /** Whether a span overlaps or touches `[from, to]`. */
  touches(from: number, to: number): boolean {
    // The last span starting at or before `to`; any span after it starts too late.
    let low = 0;
    let high = this.spans.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.spans[mid].from <= to) low = mid + 1;
      else high = mid;
    }
    return low > 0 && this.maxTo[low - 1] >= from;
  }
}
