// Incremental analysis (AnalysisCache): a document's analysis re-uses what the analyses of its
// earlier versions found for the top-level statements that did not change. After any edits,
// its findings (every rule, range, message and fix) must be exactly those of a fresh lint of the
// new text. Random edits over the corpus, the samples and CPython's _test_multiprocessing.py,
// and edits aimed at each way the facts of one statement depend on another.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { ModuleAnalysis, ModuleIdentity } from '../../src/analysis';
import { lint } from '../../src/engine';
import { OpenDocument } from '../../src/lsp/openDocument';
import { LineIndex, parseSource, walkStatements } from '../../src/parser';
import { CORPUS_DIR, filesUnder, REPO_ROOT } from '../support/paths';
import { pyenvPythons } from '../support/pyenv';
import { SeededRandom } from '../support/random';

/** Whole statements and fragments that create, rebind or hide what other statements use. */
const SNIPPETS = [
  'x',
  'q',
  ' ',
  '\n',
  '(',
  ')',
  ':',
  'mp.',
  '    ',
  'Pool(2)',
  '"',
  '#',
  ' as P',
  'lambda: 1',
  'if __name__ == "__main__":\n    ',
  'import multiprocessing as mp\n',
  'from multiprocessing import *\n',
  'from multiprocessing import Pool as P\n',
  'Pool = mp.Pool\n',
  'class Pool:\n    pass\n',
  '# made as Pool\n',
  'def helper(q):\n    q.put(1)\n',
  'def target(q):\n    global shared\n    shared = 1\n',
  'global counter\n',
  'q = mp.Queue()\n',
  'p = mp.Process(target=helper, args=(q,))\n',
  'p.start()\n',
  'p.join()\n',
  'with mp.Pool() as pool:\n    pool.map(helper, [1])\n',
  'pool.apply_async(helper)\n',
  'class Worker(mp.Process):\n    def run(self):\n        pass\n',
  'mp.set_start_method("spawn")\n',
];

interface Edit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

function lineStarts(text: string): number[] {
  return [0, ...[...text.matchAll(/\r\n|\r|\n/g)].map((match) => match.index + match[0].length)];
}

/** One edit a user might make: type or delete in a name, add or delete lines, paste a snippet. */
function randomEdit(text: string, random: SeededRandom): Edit {
  const choice = random.next();
  const names = [...text.matchAll(/[A-Za-z_][A-Za-z0-9_]{2,}/g)];
  if (choice < 0.35 && names.length > 0) {
    const name = random.pick(names);
    const at = name.index + 1 + random.int(name[0].length - 1);
    return { from: at, to: at, insert: random.pick(['q', 'x', '_']) };
  }
  if (choice < 0.45 && names.length > 0) {
    const name = random.pick(names);
    const at = name.index + random.int(name[0].length);
    return { from: at, to: at + 1, insert: '' };
  }
  const starts = lineStarts(text);
  if (choice < 0.6) {
    const at = random.pick(starts);
    return { from: at, to: at, insert: random.pick(SNIPPETS.filter((snippet) => snippet.endsWith('\n'))) };
  }
  if (choice < 0.7) {
    const first = random.int(starts.length);
    const last = Math.min(starts.length - 1, first + 1 + random.int(3));
    return { from: starts[first], to: first === last ? text.length : starts[last], insert: '' };
  }
  const at = random.int(text.length + 1);
  return { from: at, to: Math.min(text.length, at + (random.next() < 0.5 ? 0 : random.int(6))), insert: random.pick(SNIPPETS) };
}

/** Moves a few lines elsewhere (two changes in one version, as a cut and paste). */
function moveLines(text: string, random: SeededRandom): Edit[] {
  const starts = [...lineStarts(text), text.length];
  const first = random.int(starts.length - 1);
  const last = Math.min(starts.length - 1, first + 1 + random.int(8));
  const moved = text.slice(starts[first], starts[last]);
  const rest = text.slice(0, starts[first]) + text.slice(starts[last]);
  const at = random.pick(lineStarts(rest));
  return [
    { from: starts[first], to: starts[last], insert: '' },
    { from: at, to: at, insert: moved },
  ];
}

/** A document open in the language server, edited through LSP change events. */
class EditedDocument {
  private readonly document: OpenDocument;
  private version = 1;

  constructor(
    public text: string,
    private readonly identity: ModuleIdentity | undefined = undefined,
  ) {
    this.document = new OpenDocument('file:///edited.py', 'python', this.version, text);
  }

  /** Applies the edits in order as one didChange notification. */
  change(edits: readonly Edit[]): void {
    const events: TextDocumentContentChangeEvent[] = [];
    for (const edit of edits) {
      const lines = new LineIndex(this.text);
      events.push({ range: { start: lines.positionAt(edit.from), end: lines.positionAt(edit.to) }, text: edit.insert });
      this.text = this.text.slice(0, edit.from) + edit.insert + this.text.slice(edit.to);
    }
    this.document.applyChanges(events, ++this.version);
  }

  /** This version's analysis (re-using what earlier versions found). */
  analysis(): ModuleAnalysis {
    return this.document.analysis(this.identity);
  }

  /** The findings of the incremental analysis, and those of a fresh lint of the same text. */
  findings(): { incremental: string; fresh: string } {
    assert.equal(this.document.text, this.text);
    return {
      incremental: JSON.stringify(lint(this.analysis())),
      fresh: JSON.stringify(lint(parseSource(this.text), { module: this.identity })),
    };
  }

  assertSameFindings(label: string): void {
    const { incremental, fresh } = this.findings();
    assert.equal(incremental, fresh, `${label}: incremental findings differ from a fresh lint of this text:\n${this.text}`);
  }
}

function editRandomly(file: string, text: string, versions: number, seed: number): void {
  const random = new SeededRandom(seed);
  const document = new EditedDocument(text);
  document.assertSameFindings(`${file}, unedited`);
  for (let version = 0; version < versions; version++) {
    const edits: Edit[] = [];
    if (random.next() < 0.1) {
      edits.push(...moveLines(document.text, random));
    } else {
      // Several edits in one version, as when the debounced lint runs after a burst of typing.
      const count = random.next() < 0.3 ? 2 + random.int(3) : 1;
      let text = document.text;
      for (let index = 0; index < count; index++) {
        const edit = randomEdit(text, random);
        edits.push(edit);
        text = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
      }
    }
    document.change(edits);
    document.assertSameFindings(`${file}, version ${version + 2} (${JSON.stringify(edits)})`);
  }
}

describe('incremental analysis', () => {
  const files = [...filesUnder(CORPUS_DIR, '.py'), ...filesUnder(path.join(REPO_ROOT, 'samples'), '.py')];
  for (const file of files) {
    it(`gives the findings of a fresh lint after random edits: ${path.relative(REPO_ROOT, file)}`, () => {
      editRandomly(file, fs.readFileSync(file, 'utf8'), 20, file.length * 7907);
    });
  }

  const python = pyenvPythons().reverse().find((candidate) => fs.existsSync(path.join(candidate.library, 'test', '_test_multiprocessing.py')));
  it('gives the findings of a fresh lint of _test_multiprocessing.py after typing in it', { skip: python ? false : 'no pyenv Python with Lib/test/_test_multiprocessing.py' }, () => {
    const text = fs.readFileSync(path.join(python!.library, 'test', '_test_multiprocessing.py'), 'utf8');
    // Typing inside function bodies (what an editor sees most), then any edit at all.
    const inBodies: number[] = [];
    walkStatements(parseSource(text).module.body, (statement) => {
      if (statement.kind !== 'FunctionDef') return;
      for (const name of text.slice(statement.body.from, statement.body.to).matchAll(/[A-Za-z_]\w{3,}/g)) inBodies.push(statement.body.from + name.index + 2);
    });
    const random = new SeededRandom(20261127);
    const document = new EditedDocument(text);
    for (let version = 0; version < 10; version++) {
      const at = random.pick(inBodies);
      document.change([{ from: at, to: at, insert: 'q' }]);
      document.assertSameFindings(`typed at ${at}`);
      document.change([{ from: at, to: at + 1, insert: '' }]);
      document.assertSameFindings(`deleted at ${at}`);
    }
    editRandomly('_test_multiprocessing.py', text, 8, 4242);
  });

  describe('invalidates what depends on a changed statement', () => {
    /** Runs `steps` (each an edit by text replacement) and checks every version against a fresh lint. */
    function scenario(initial: string, steps: readonly (readonly [string, string])[], identity?: ModuleIdentity): string[][] {
      const document = new EditedDocument(initial, identity);
      const codes: string[][] = [lint(document.analysis()).map((finding) => finding.code)];
      document.assertSameFindings('initial text');
      for (const [find, replace] of steps) {
        const from = document.text.indexOf(find);
        assert.ok(from >= 0, `"${find}" is in the text`);
        document.change([{ from, to: from + find.length, insert: replace }]);
        document.assertSameFindings(`after replacing ${JSON.stringify(find)} with ${JSON.stringify(replace)}`);
        codes.push(JSON.parse(document.findings().incremental).map((finding: { code: string }) => finding.code));
      }
      return codes;
    }

    it('a module-level object rebound by `global` in another statement', () => {
      const codes = scenario(
        [
          'import multiprocessing as mp',
          'q = mp.Queue()',
          'def work(item):',
          '    return item',
          'def reset():',
          '    pass',
          'def main():',
          '    with mp.Pool() as pool:',
          '        pool.apply_async(work, (q,)).get()',
          '',
        ].join('\n'),
        [
          ['    pass', '    global q\n    q = None'],
          ['    global q\n    q = None', '    pass'],
        ],
      );
      assert.deepEqual(codes, [['MP003'], [], ['MP003']]);
    });

    it('a function given as a task, renamed and given back', () => {
      const codes = scenario(
        [
          'import multiprocessing as mp',
          'def main():',
          '    def square(x):',
          '        return x * x',
          '    with mp.Pool() as pool:',
          '        print(pool.map(square, range(3)))',
          '',
        ].join('\n'),
        [
          ['    def square(x):', '    def squares(x):'],
          ['    def squares(x):', '    def square(x):'],
        ],
      );
      assert.deepEqual(codes, [['MP007'], [], ['MP007']]);
    });

    it('a class, or an `as` name in a comment, that makes a local alias count as a constructor', () => {
      const body = ['import multiprocessing as mp', '', 'def work():', '    Maker = mp.Pool', '    pool = Maker(2)', '    pool.join()', '', '# end', ''].join('\n');
      const codes = scenario(body, [
        ['# end', 'class Outer:\n    class Maker:\n        pass'],
        ['class Outer:\n    class Maker:\n        pass', '# end'],
        ['# end', '# a pool made as Maker'],
        ['# a pool made as Maker', '# end'],
      ]);
      assert.deepEqual(codes, [[], ['MP013', 'MP002'], [], ['MP013', 'MP002'], []]);
    });

    it('a star import added and removed', () => {
      const codes = scenario(
        ['import multiprocessing as mp', 'def main():', '    p = mp.Process(target=lambda: None)', '    p.start()', '    p.join()', '# imports', ''].join('\n'),
        [
          ['# imports', 'from somewhere import *'],
          ['from somewhere import *', '# imports'],
        ],
      );
      // A star import from an unknown module after `import … as mp` may rebind `mp`: unknown.
      assert.deepEqual(codes, [['MP007'], [], ['MP007']]);
    });

    it('statements moved past each other', () => {
      const lines = ['import multiprocessing as mp', 'x = mp.Queue()', 'x = mp.Lock()', 'def main():', '    with mp.Pool() as pool:', '        pool.apply_async(print, (x,)).get()', ''];
      scenario(lines.join('\n'), [['x = mp.Queue()\nx = mp.Lock()', 'x = mp.Lock()\nx = mp.Queue()']]);
    });

    it('relative imports resolved with the module identity', () => {
      scenario(
        ['from . import context', 'def main():', '    with context.Pool() as pool:', '        pool.map(lambda x: x, [1])', ''].join('\n'),
        [['    with context.Pool()', '    with context.Pool(0)']],
        { name: 'multiprocessing.helper', isPackage: false },
      );
    });
  });

  it('re-uses the analysis of every top-level statement but the edited one', () => {
    const functions = Array.from({ length: 40 }, (_, index) => `def f${index}(q):\n    q.put(${index})\n`).join('\n');
    const document = new EditedDocument(`import multiprocessing as mp\n\n${functions}`);
    const first = document.analysis();
    lint(first);
    const before = first.scopes.units;
    const at = document.text.indexOf('q.put(10)');
    document.change([{ from: at, to: at, insert: 'x' }]);
    const second = document.analysis();
    assert.equal(second.scopes.added.length, 1, 'one unit is new');
    assert.equal(second.scopes.units.filter((unit, index) => unit === before[index]).length, before.length - 1);
    document.assertSameFindings('after the edit');
  });
});
