// Fuzzing the whole engine: 10,000 texts made by mutating and truncating the corpus files
// (character flips, deletions, duplicated lines, random indentation, inserted tokens), plus
// random bytes and random Unicode. Every registered rule runs on each; every fix of every finding
// is applied, and the editor's hover is asked at a few places. Nothing may throw, every range must
// lie inside the text, and every fix must apply (the result need not parse: the input did not
// either).
//
// Reproducible: the seed is fixed (override with MPSCOPE_FUZZ_SEED=<n>) and printed; a failure
// names the case number and the mutations that made it, and prints its text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ModuleAnalysis } from '../../src/analysis';
import { type Finding, lint } from '../../src/engine';
import { hoverAt } from '../../src/hover/hover';
import { LineIndex, parseSource } from '../../src/parser';
import { ALL_RULES } from '../../src/rules/registry';
import { CORPUS_DIR, FIXES_DIR, filesUnder, REPO_ROOT } from '../support/paths';
import { SeededRandom } from '../support/random';

const CASES = 10_000;
const DEFAULT_SEED = 0x6d70_7363; // "mpsc"

const TOKENS = [
  '(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '*', '**', '@', '\\', '#', '"', "'", '"""', "'''", 'f"{', '}"',
  '\n', '\r\n', '\r', '\t', '    ', ' ', 'if ', 'elif ', 'else:', 'def ', 'class ', 'with ', ' as ', 'lambda ', 'yield ',
  'async ', 'await ', 'return', 'global ', 'nonlocal ', 'import ', 'from ', 'try:', 'except:', 'finally:', 'del ',
  'mp.', 'mp.Pool(', 'Process(target=', 'args=(', ').start()', '.join()', '.close()', 'if __name__ == "__main__":',
  'multiprocessing', 'get_context("spawn")', 'Queue()', 'apply_async(', 'submit(', 'ProcessPoolExecutor(', 'Manager()',
  'é', '😀', '\u0000', '\ufeff', '\u2028', '\ud800',
];

type Mutation = (text: string, random: SeededRandom) => string;

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  flip(text, random) {
    const at = random.int(text.length + 1);
    const replacement = random.next() < 0.5 ? random.pick(TOKENS) : String.fromCharCode(random.int(0x10000));
    return text.slice(0, at) + replacement + text.slice(at + 1);
  },
  delete(text, random) {
    const at = random.int(text.length + 1);
    return text.slice(0, at) + text.slice(at + 1 + random.int(40));
  },
  insert(text, random) {
    const at = random.int(text.length + 1);
    return text.slice(0, at) + random.pick(TOKENS) + text.slice(at);
  },
  duplicateLines(text, random) {
    const lines = text.split('\n');
    const from = random.int(lines.length);
    const copied = lines.slice(from, from + 1 + random.int(8));
    const to = random.int(lines.length + 1);
    return [...lines.slice(0, to), ...copied, ...lines.slice(to)].join('\n');
  },
  deleteLines(text, random) {
    const lines = text.split('\n');
    const from = random.int(lines.length);
    lines.splice(from, 1 + random.int(6));
    return lines.join('\n');
  },
  indent(text, random) {
    const lines = text.split('\n');
    for (let count = 1 + random.int(4); count > 0; count--) {
      const index = random.int(lines.length);
      const body = lines[index].replace(/^[ \t]*/, '');
      lines[index] = random.pick(['', ' ', '  ', '    ', '        ', '\t', '\t    ', '   ']) + body;
    }
    return lines.join('\n');
  },
  truncate(text, random) {
    return text.slice(0, random.int(text.length + 1));
  },
  swapLines(text, random) {
    const lines = text.split('\n');
    const a = random.int(lines.length);
    const b = random.int(lines.length);
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return lines.join('\n');
  },
};

function randomBytes(random: SeededRandom): string {
  const bytes = Buffer.alloc(random.int(600));
  for (let i = 0; i < bytes.length; i++) bytes[i] = random.next() < 0.7 ? 32 + random.int(95) : random.int(256);
  return bytes.toString('utf8');
}

function randomUnicode(random: SeededRandom): string {
  let text = '';
  for (let i = random.int(300); i > 0; i--) {
    const roll = random.next();
    if (roll < 0.4) text += random.pick(TOKENS);
    else if (roll < 0.7) text += String.fromCharCode(32 + random.int(95));
    else if (roll < 0.9) text += String.fromCodePoint(random.int(0x110000 - 0x800) + (random.next() < 0.5 ? 0 : 0x800));
    else text += String.fromCharCode(random.int(0x10000));
  }
  return text;
}

interface CaseStats {
  cases: number;
  byKind: Record<string, number>;
  findings: number;
  fixesApplied: number;
  hovers: number;
  largest: number;
}

/** Lints `text`, applies every fix and hovers; throws with the reason on any broken invariant. */
function check(text: string, stats: CaseStats, random: SeededRandom): void {
  const analysis = new ModuleAnalysis(parseSource(text), { name: 'fuzzed', isPackage: false });
  const findings: Finding[] = lint(analysis);
  for (let i = 0; i < 3; i++) {
    const offset = i === 0 && findings.length > 0 ? findings[0].offsets.from : random.int(text.length + 1);
    const hover = hoverAt(analysis, findings, offset);
    if (hover !== undefined) {
      assert.equal(typeof hover.markdown, 'string');
      assert.ok(0 <= hover.span.from && hover.span.from <= hover.span.to && hover.span.to <= text.length, 'hover span out of the text');
      stats.hovers++;
    }
  }
  const lines = new LineIndex(text);
  for (const finding of findings) {
    assert.ok(ALL_RULES.some((rule) => rule.meta.code === finding.code), `unknown code ${finding.code}`);
    assert.ok(0 <= finding.offsets.from && finding.offsets.from <= finding.offsets.to && finding.offsets.to <= text.length, `${finding.code}: offsets out of the text`);
    assert.deepEqual(finding.range.start, lines.positionAt(finding.offsets.from), `${finding.code}: range does not match offsets`);
    assert.equal(typeof finding.message, 'string');
    for (const fix of finding.fixes) {
      const edits = fix.edits.map((edit) => {
        for (const position of [edit.range.start, edit.range.end]) {
          assert.ok(position.line >= 0 && position.line < lines.lineCount, `${finding.code} fix "${fix.title}": line ${position.line} out of the text`);
          assert.ok(position.character >= 0 && position.character <= lines.lineText(position.line).length, `${finding.code} fix "${fix.title}": character out of its line`);
        }
        const from = lines.offsetAt(edit.range.start);
        const to = lines.offsetAt(edit.range.end);
        assert.ok(from <= to, `${finding.code} fix "${fix.title}": edit ends before it starts`);
        assert.equal(typeof edit.newText, 'string');
        return { from, to, text: edit.newText };
      });
      edits.sort((a, b) => a.from - b.from);
      for (let i = 1; i < edits.length; i++) assert.ok(edits[i - 1].to <= edits[i].from, `${finding.code} fix "${fix.title}": overlapping edits`);
      let fixed = text;
      for (const edit of [...edits].reverse()) fixed = fixed.slice(0, edit.from) + edit.text + fixed.slice(edit.to);
      assert.equal(typeof fixed, 'string');
      stats.fixesApplied++;
    }
  }
  stats.findings += findings.length;
  stats.largest = Math.max(stats.largest, text.length);
}

describe('fuzz: every rule and every fix on 10,000 broken texts', () => {
  it('never throws and keeps every range and fix inside the text', (t) => {
    const seed = process.env.MPSCOPE_FUZZ_SEED ? Number(process.env.MPSCOPE_FUZZ_SEED) : DEFAULT_SEED;
    t.diagnostic(`seed ${seed} (set MPSCOPE_FUZZ_SEED to replay another), ${ALL_RULES.length} rules`);
    const random = new SeededRandom(seed);
    const samples = path.join(REPO_ROOT, 'samples');
    const files = [...filesUnder(CORPUS_DIR, '.py'), ...filesUnder(FIXES_DIR, '.py'), ...(fs.existsSync(samples) ? filesUnder(samples, '.py') : [])];
    assert.ok(files.length >= 10, `only ${files.length} corpus files`);
    const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
    const kinds = Object.keys(MUTATIONS);
    const stats: CaseStats = { cases: 0, byKind: {}, findings: 0, fixesApplied: 0, hovers: 0, largest: 0 };
    const started = performance.now();
    for (let index = 0; index < CASES; index++) {
      let text: string;
      let label: string;
      const roll = random.next();
      if (roll < 0.05) {
        text = randomBytes(random);
        label = 'random bytes';
      } else if (roll < 0.1) {
        text = randomUnicode(random);
        label = 'random unicode';
      } else {
        const fileIndex = random.int(files.length);
        text = texts[fileIndex];
        // Sometimes two files glued together, so that rules meet each other's code.
        if (random.next() < 0.15) text += `\n${random.pick(texts)}`;
        const applied: string[] = [];
        for (let count = 1 + random.int(5); count > 0; count--) {
          const kind = random.pick(kinds);
          text = MUTATIONS[kind](text, random);
          applied.push(kind);
        }
        label = `${path.relative(REPO_ROOT, files[fileIndex])} after ${applied.join(', ')}`;
      }
      const kind = label.includes(' after ') ? 'mutated corpus' : label;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
      stats.cases++;
      try {
        check(text, stats, random);
      } catch (error) {
        const shown = text.length > 3000 ? `${text.slice(0, 3000)}…` : text;
        assert.fail(`case ${index} (seed ${seed}): ${label}\n${error instanceof Error ? error.stack : String(error)}\n--- text (JSON) ---\n${JSON.stringify(shown)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(
      `${stats.cases} cases (${Object.entries(stats.byKind).map(([kind, count]) => `${count} ${kind}`).join(', ')}) in ${seconds.toFixed(1)} s: ` +
        `0 crashes, ${stats.findings} findings, ${stats.fixesApplied} fixes applied, ${stats.hovers} hovers, largest text ${stats.largest} characters`,
    );
    assert.equal(stats.cases, CASES);
  });
});
