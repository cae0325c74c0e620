import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanIndex } from '../../src/parser/spanIndex';

describe('SpanIndex', () => {
  it('finds spans that overlap or touch a range, including nested ones', () => {
    // Sorted by `from`; the first span contains the second, so `to`s are not sorted.
    const index = new SpanIndex([
      { from: 10, to: 50 },
      { from: 12, to: 14 },
      { from: 60, to: 60 },
    ]);
    const cases: [number, number, boolean][] = [
      [0, 9, false],
      [0, 10, true],
      [40, 45, true],
      [50, 55, true],
      [51, 59, false],
      [60, 60, true],
      [61, 100, false],
    ];
    for (const [from, to, expected] of cases) assert.equal(index.touches(from, to), expected, `[${from}, ${to}]`);
    assert.equal(new SpanIndex([]).touches(0, 100), false);
  });
});
