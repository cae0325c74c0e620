// "Ignore on this line" works for every rule: each registered rule has findings in the corpus,
// each such finding offers the suppression fix (where a comment can go), and applying it
// silences exactly that finding — the rest of the file lints the same.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { lint } from '../../src/engine';
import { ALL_RULES } from '../../src/rules/registry';
import { applyEdits } from '../support/edits';
import { CORPUS_DIR, filesUnder } from '../support/paths';

describe('ignore on this line', () => {
  const corpus = filesUnder(CORPUS_DIR, '.py').map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

  for (const rule of ALL_RULES) {
    it(`${rule.meta.code} ${rule.meta.name}`, () => {
      let checked = 0;
      for (const { file, text } of corpus) {
        const findings = lint(text);
        for (const finding of findings.filter((candidate) => candidate.code === rule.meta.code)) {
          const fix = finding.fixes.find((candidate) => candidate.kind === 'suppression');
          if (fix === undefined) continue; // the line ends inside a string or with a backslash
          assert.equal(fix.title, `Ignore ${rule.meta.code} on this line`);
          assert.equal(fix.isPreferred, false);
          const silenced = applyEdits(text, fix.edits);
          const before = findings.filter((other) => other !== finding);
          const after = lint(silenced);
          // The comment goes at the end of a line, so findings after it move by its length.
          assert.equal(after.length, before.length, `${file}: applying "${fix.title}" at line ${finding.range.start.line + 1} changed other findings`);
          assert.ok(!after.some((other) => other.code === finding.code && other.range.start.line === finding.range.start.line && other.message === finding.message), `${file}: still reported after "${fix.title}"`);
          checked++;
        }
      }
      assert.ok(checked > 0, `no finding of ${rule.meta.code} in the corpus offers "Ignore ${rule.meta.code} on this line"`);
    });
  }
});
