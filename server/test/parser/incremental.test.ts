// An incremental re-parse after edits must give exactly what a fresh parse of the new text gives.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { IncrementalParser, parseSource, type SourceFile } from '../../src/parser';
import { CORPUS_DIR, filesUnder } from '../support/paths';
import { SeededRandom } from '../support/random';

const SNIPPETS = ['x', ' ', '\n', '(', ')', ':', 'mp.', '    ', 'Pool(2)', '"', '#', 'if __name__ == "__main__":\n    '];

function view(source: SourceFile): string {
  return JSON.stringify({
    module: source.module,
    errors: source.errors,
    comments: source.comments,
    strings: source.multilineStrings,
  });
}

describe('incremental parsing', () => {
  for (const file of filesUnder(CORPUS_DIR, '.py')) {
    it(`matches a full parse after random edits: ${file.slice(CORPUS_DIR.length + 1)}`, () => {
      const random = new SeededRandom(file.length * 7919);
      const parser = new IncrementalParser();
      let text = fs.readFileSync(file, 'utf8');
      parser.parse(text);
      for (let step = 0; step < 25; step++) {
        const from = random.int(text.length + 1);
        const to = Math.min(text.length, from + random.int(12));
        const insert = random.next() < 0.3 ? '' : random.pick(SNIPPETS);
        text = text.slice(0, from) + insert + text.slice(to);
        parser.edit(from, to, insert.length);
        assert.equal(view(parser.parse(text)), view(parseSource(text)), `after edit ${step} at ${from}`);
      }
    });
  }

  it('stays exact over many parses, while old cache entries are dropped', () => {
    const file = filesUnder(CORPUS_DIR, '.py').find((candidate) => candidate.endsWith('indirect_calls.py'))!;
    const random = new SeededRandom(99);
    const parser = new IncrementalParser();
    let text = fs.readFileSync(file, 'utf8');
    parser.parse(text);
    for (let step = 0; step < 200; step++) {
      // Type a name somewhere, then remove it again: most statements come back unchanged.
      const at = random.int(text.length + 1);
      for (const [from, to, insert] of [
        [at, at, 'name'],
        [at, at + 4, ''],
      ] as const) {
        text = text.slice(0, from) + insert + text.slice(to);
        parser.edit(from, to, insert.length);
        const incremental = parser.parse(text);
        if (step % 20 === 0 || step > 190) assert.equal(view(incremental), view(parseSource(text)), `step ${step}`);
      }
    }
  });

  it('matches a full parse in a large file with syntax errors far from the edits', () => {
    // lezer re-uses nodes of a tree that has error nodes in ways a fresh parse does not (here a
    // function swallowed every later one); the parser must not show that to the rules.
    const pieces = filesUnder(CORPUS_DIR, '.py').map((file) => fs.readFileSync(file, 'utf8'));
    const lines = ['import multiprocessing as mp', ''];
    for (let index = 0; lines.length < 3000; index++) {
      lines.push(`def section_${index}():`);
      for (const line of pieces[index % pieces.length].split('\n')) lines.push(line.trim() === '' ? '' : `    ${line}`);
      lines.push('    pass', '');
    }
    let text = lines.join('\n');
    const parser = new IncrementalParser();
    assert.ok(parser.parse(text).errors.length > 0, 'the corpus has syntax-error files');
    const random = new SeededRandom(4242);
    for (let step = 0; step < 30; step++) {
      const from = random.int(text.length + 1);
      const to = random.next() < 0.3 ? Math.min(text.length, from + random.int(20)) : from;
      const insert = random.pick(['x', 'y = 1\n', '(', ')', ' ', ':', '\n    ', 'mp.', '']);
      text = text.slice(0, from) + insert + text.slice(to);
      parser.edit(from, to, insert.length);
      assert.equal(view(parser.parse(text)), view(parseSource(text)), `after edit ${step} at ${from}`);
    }
  });

  it('re-uses the unchanged top-level statements (the same objects, moved) and re-converts the edited one', () => {
    const parser = new IncrementalParser();
    const lines = Array.from({ length: 50 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`);
    let text = lines.join('\n');
    const before = parser.parse(text).module.body.statements;
    const at = text.indexOf('return x + 10') + 'return x + '.length;
    text = `${text.slice(0, at)}1${text.slice(at)}`;
    parser.edit(at, at, 1);
    const after = parser.parse(text).module.body.statements;
    assert.equal(after.length, 50);
    const reused = after.filter((statement, index) => statement === before[index]);
    assert.equal(reused.length, 49, 'every statement but the edited one is re-used');
    assert.notEqual(after[10], before[10]);
    assert.equal(view(parser.parse(text)), view(parseSource(text)), 'and moved to the right offsets');
  });

  it('inside large classes, re-uses copies of the unchanged methods and stays exact', () => {
    // Methods with the same text in several classes and twice in one class: a copy each, so that
    // moving one class never moves another's objects.
    const method = (name: string, body: string): string => `    def ${name}(self, q):\n        ${body}\n`;
    const classes = Array.from({ length: 6 }, (_, c) =>
      [`class Case${c}(object):`, method('setUp', 'self.q = q'), method('setUp', 'self.q = q'), method(`test_${c}`, `q.put(${c})`),
        method('tearDown', 'q.close()')].join('\n'),
    );
    const original = `import multiprocessing as mp\n\n${classes.join('\n')}\n`;
    // One edit in one method: the other classes are the same objects, moved.
    const first = new IncrementalParser();
    const before = first.parse(original).module.body.statements;
    const put = original.indexOf('q.put(3)') + 'q.put('.length;
    first.edit(put, put, 1);
    const edited = `${original.slice(0, put)}1${original.slice(put)}`;
    const after = first.parse(edited).module.body.statements;
    assert.deepEqual(after.map((statement, index) => statement === before[index]), [true, true, true, true, false, true, true]);
    assert.equal(view(first.parse(edited)), view(parseSource(edited)));

    let text = original;
    const parser = new IncrementalParser();
    parser.parse(text);
    const random = new SeededRandom(2718);
    for (let step = 0; step < 120; step++) {
      const starts = [...text.matchAll(/self\.q|q\.put|q\.close/g)].map((match) => match.index);
      const at = random.pick(starts) + 1;
      const edits: [number, number, string][] = random.next() < 0.5 ? [[at, at, 'x'], [at, at + 1, '']] : [[at, at, 'x']];
      for (const [from, to, insert] of edits) {
        text = text.slice(0, from) + insert + text.slice(to);
        parser.edit(from, to, insert.length);
        assert.equal(view(parser.parse(text)), view(parseSource(text)), `step ${step} at ${from}`);
      }
    }
  });

  it('re-uses nothing from a tree with syntax errors (a full parse gives the reference result)', () => {
    const parser = new IncrementalParser();
    let text = 'import multiprocessing as mp\nx = (\ny = 1\n';
    parser.parse(text);
    text += 'z = 2\n';
    parser.edit(text.length - 6, text.length - 6, 6);
    assert.equal(view(parser.parse(text)), view(parseSource(text)));
  });

  it('returns the same parse for unchanged text and starts over after reset', () => {
    const parser = new IncrementalParser();
    const first = parser.parse('a = 1\n');
    assert.equal(parser.parse('a = 1\n'), first);
    parser.reset();
    assert.equal(view(parser.parse('b = 2\n')), view(parseSource('b = 2\n')));
  });
});
