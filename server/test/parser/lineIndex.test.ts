// The line index: offsets ↔ positions, and the index of an edited text made from the previous
// one (only the changed lines scanned again) equal to one made from scratch.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { LineIndex } from '../../src/parser';
import { CORPUS_DIR, filesUnder } from '../support/paths';
import { SeededRandom } from '../support/random';

const PIECES = ['x', '\n', '\r\n', '\r', '\n\n', '\r\r\n', 'def f():\n    pass\n', '', ' ', '\\\n'];

function starts(index: LineIndex): number[] {
  return Array.from({ length: index.lineCount }, (_, line) => index.lineStart(line));
}

describe('line index', () => {
  it('counts \\n, \\r\\n and a lone \\r as line breaks', () => {
    const index = new LineIndex('a\nb\r\nc\rd');
    assert.deepEqual(starts(index), [0, 2, 5, 7]);
    assert.deepEqual(index.positionAt(6), { line: 2, character: 1 });
    assert.equal(index.offsetAt({ line: 1, character: 5 }), 3, 'clamped to the end of the line');
  });

  it('after a change, equals an index made from scratch (edits at line breaks and across \\r\\n)', () => {
    const random = new SeededRandom(314159);
    const texts = [...filesUnder(CORPUS_DIR, '.py').slice(0, 12).map((file) => fs.readFileSync(file, 'utf8')), 'a\r\nb\rc\n', '\r\n\r\n', ''];
    for (const original of texts) {
      let text = original;
      let index = new LineIndex(text);
      for (let step = 0; step < 200; step++) {
        // Edits near line breaks are the interesting ones: a `\r` and a `\n` can meet or part.
        const breaks = [...text.matchAll(/[\r\n]/g)].map((match) => match.index);
        const near = breaks.length > 0 && random.next() < 0.7 ? random.pick(breaks) + random.int(3) - 1 : random.int(text.length + 1);
        const from = Math.max(0, Math.min(text.length, near));
        const to = Math.min(text.length, from + (random.next() < 0.5 ? 0 : random.int(4)));
        const insert = random.pick(PIECES);
        text = text.slice(0, from) + insert + text.slice(to);
        index = LineIndex.afterChange(index, text, from, from + insert.length, insert.length - (to - from));
        assert.deepEqual(starts(index), starts(new LineIndex(text)), `step ${step}: ${JSON.stringify(text.slice(Math.max(0, from - 3), from + insert.length + 3))}`);
      }
    }
  });
});
