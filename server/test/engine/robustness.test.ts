// Linting never throws, whatever the text: truncated and mutated corpus files, random bytes.
// (Issue 4 grows this into a 10,000-case fuzz run; this is the always-on slice of it.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { lint } from '../../src/engine';
import { CORPUS_DIR, FIXES_DIR, filesUnder } from '../support/paths';
import { SeededRandom } from '../support/random';

const TOKENS = ['(', ')', '[', ']', '{', '}', ':', '\n', '    ', '\t', '"', "'", '"""', '#', '\\', '@', 'if ', 'def ', 'mp.', ',', '=', 'lambda', '*', '**', '\r'];

function lintsWithoutThrowing(text: string, label: string): void {
  try {
    const findings = lint(text);
    for (const finding of findings) {
      assert.ok(finding.offsets.from >= 0 && finding.offsets.to <= text.length && finding.offsets.from <= finding.offsets.to);
    }
  } catch (error) {
    assert.fail(`${label}: ${error instanceof Error ? error.stack : String(error)}\n--- text ---\n${text}`);
  }
}

describe('robustness', () => {
  const files = [...filesUnder(CORPUS_DIR, '.py'), ...filesUnder(FIXES_DIR, '.py')];

  it('lints every prefix of the corpus files (at 7-character steps)', () => {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (let end = 0; end <= text.length; end += 7) lintsWithoutThrowing(text.slice(0, end), `${file} [0, ${end})`);
    }
  });

  it('lints 2,000 random mutations of the corpus files', () => {
    const random = new SeededRandom(20240601);
    for (let i = 0; i < 2000; i++) {
      const file = random.pick(files);
      let text = fs.readFileSync(file, 'utf8');
      for (let edits = 1 + random.int(4); edits > 0; edits--) {
        const at = random.int(text.length + 1);
        const length = random.int(10);
        text = text.slice(0, at) + (random.next() < 0.5 ? random.pick(TOKENS) : '') + text.slice(at + length);
      }
      lintsWithoutThrowing(text, `mutation ${i} of ${file}`);
    }
  });

  it('lints pathologically deep nesting without exhausting the stack', () => {
    const cases = [
      `x = ${'('.repeat(3000)}1${')'.repeat(3000)}`,
      `x = ${'['.repeat(3000)}${']'.repeat(3000)}`,
      `x = a${'.b'.repeat(20000)}`,
      `x = 1${' + 1'.repeat(20000)}`,
      `x = f${'(g'.repeat(5000)}${')'.repeat(5000)}`,
      `x = ${Array(5000).fill('1').join(' if c else ')}`,
      `x = ${'lambda: '.repeat(3000)}1`,
      `if a:\n    pass\n${Array.from({ length: 3000 }, (_, i) => `elif x == ${i}:\n    pass\n`).join('')}`,
      Array.from({ length: 400 }, (_, i) => `${'    '.repeat(i)}if x:\n`).join('') + `${'    '.repeat(400)}pass\n`,
    ];
    for (const code of cases) lintsWithoutThrowing(`import multiprocessing as mp\n${code}\nmp.Pool()\n`, code.slice(0, 40));
    // What follows the deep part is still linted.
    assert.equal(lint(`import multiprocessing as mp\nx = 1${' + 1'.repeat(20000)}\nmp.Pool()\n`).length, 1);
  });

  it('lints very long chains of names, calls and base classes without exhausting the stack', () => {
    const chain = (count: number, first: string, next: (i: number) => string): string =>
      [first, ...Array.from({ length: count - 1 }, (_, i) => next(i + 1))].join('\n');
    const cases = [
      chain(20000, 'x0 = mp.Pool', (i) => `x${i} = x${i - 1}`) + '\nx19999()',
      chain(20000, 'def f0():\n    mp.Pool()', (i) => `def f${i}():\n    f${i - 1}()`) + '\nf19999()',
      chain(5000, 'class C0(mp.Process):\n    pass', (i) => `class C${i}(C${i - 1}):\n    pass`) + '\nC4999()',
    ];
    for (const code of cases) lintsWithoutThrowing(`import multiprocessing as mp\n${code}\n`, code.slice(0, 40));
  });

  it('still follows chains of realistic length', () => {
    const functions = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'def f0():\n    mp.Pool()' : `def f${i}():\n    f${i - 1}()`));
    const names = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'n0 = mp.Process' : `n${i} = n${i - 1}`));
    const code = ['import multiprocessing as mp', ...functions, 'f29()', ...names, 'n29()'].join('\n');
    assert.deepEqual(
      lint(code, { select: ['MP001'] }).map((finding) => finding.range.start.line),
      [61, 92],
    );
  });

  it('lints random byte strings', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.alloc(random.int(400));
      for (let j = 0; j < bytes.length; j++) bytes[j] = random.int(256);
      lintsWithoutThrowing(bytes.toString('utf8'), `random bytes ${i}`);
    }
  });
});
