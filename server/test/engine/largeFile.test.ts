// A 50,000-line file lints completely (all rules, with fixes) and re-lints after an edit; the
// times are printed, not asserted (a busy machine must not fail the build).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { lint } from '../../src/engine';
import { IncrementalParser } from '../../src/parser';
import { CORPUS_DIR, filesUnder } from '../support/paths';

/** Corpus files, each wrapped in a function of its own so that they stay valid side by side. */
function largeText(lineCount: number): string {
  const pieces = filesUnder(CORPUS_DIR, '.py').map((file) => fs.readFileSync(file, 'utf8'));
  const lines: string[] = ['import multiprocessing as mp', ''];
  for (let index = 0; lines.length < lineCount; index++) {
    const piece = pieces[index % pieces.length];
    lines.push(`def section_${index}():`);
    for (const line of piece.split('\n')) lines.push(line.trim() === '' ? '' : `    ${line}`);
    lines.push('    pass', '');
  }
  lines.length = lineCount;
  return lines.join('\n');
}

describe('a 50,000-line file', () => {
  it('lints completely and re-lints after an edit', (t) => {
    const text = largeText(50_000);
    assert.equal(text.split('\n').length, 50_000);
    let started = performance.now();
    const findings = lint(text);
    const full = performance.now() - started;
    assert.ok(findings.length > 0, 'the corpus code inside the functions still has findings');

    const parser = new IncrementalParser();
    parser.parse(text);
    const at = text.indexOf('def section_1000():');
    const edited = `${text.slice(0, at)}x = 1\n${text.slice(at)}`;
    started = performance.now();
    parser.edit(at, at, 'x = 1\n'.length);
    const relinted = lint(parser.parse(edited));
    const incremental = performance.now() - started;
    assert.equal(relinted.length, lint(edited).length, 'the incremental result equals a full lint of the new text');
    t.diagnostic(`50,000 lines (${text.length} characters): full lint ${full.toFixed(0)} ms, ${findings.length} findings; re-lint after one edit ${incremental.toFixed(0)} ms`);
  });
});
