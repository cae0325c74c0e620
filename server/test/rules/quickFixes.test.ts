// The quick fixes of the call-shape and data-flow rules: for each case under
// server/test/fixes/<rule>/ of those rules, apply the rule's fix to
// every finding that offers one, one at a time as a user would, and compare with the reviewed
// `.fixed.py`; the result must parse without errors and the rule must no longer report anything.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../src/engine';
import { parseSource } from '../../src/parser';
import { applyEdits } from '../support/edits';
import { FIXES_DIR, filesUnder } from '../support/paths';

/** Applies the rule's first quick fix, finding by finding, until none is offered. */
function applyAllFixes(text: string, code: string): string {
  let current = text;
  for (let round = 0; round < 100; round++) {
    const finding = lint(current).find((candidate) => candidate.code === code && candidate.fixes.some((fix) => fix.kind === 'quickfix'));
    if (finding === undefined) return current;
    const fix = finding.fixes.find((candidate) => candidate.kind === 'quickfix');
    assert.ok(fix);
    current = applyEdits(current, fix.edits);
  }
  assert.fail(`${code} fixes did not converge`);
}

/** The call-shape and data-flow rules with quick fixes (the other rules' fixes have their own tests). */
const RULE_FOLDERS = ['mp004', 'mp005', 'mp006', 'mp011', 'mp016', 'mp021'];

describe('quick fixes of MP004, MP005, MP006, MP011, MP016, MP021', () => {
  it('has a case folder for each rule with a fix', () => {
    for (const folder of RULE_FOLDERS) assert.ok(fs.existsSync(path.join(FIXES_DIR, folder)), folder);
  });
  for (const folder of RULE_FOLDERS) {
    const code = folder.toUpperCase();
    const inputs = filesUnder(path.join(FIXES_DIR, folder), '.py').filter((file) => !file.endsWith('.fixed.py'));
    for (const input of inputs) {
      it(`${folder}/${path.basename(input)}`, () => {
        const text = fs.readFileSync(input, 'utf8');
        assert.ok(lint(text).some((finding) => finding.code === code), `the case must have ${code} findings`);
        const result = applyAllFixes(text, code);
        assert.equal(result, fs.readFileSync(input.replace(/\.py$/, '.fixed.py'), 'utf8'));
        assert.deepEqual(parseSource(result).errors, [], `the result must parse:\n${result}`);
        assert.deepEqual(
          lint(result).filter((finding) => finding.code === code).map((finding) => finding.message),
          [],
        );
      });
    }
  }

  it('keeps CRLF line endings (MP016)', () => {
    const input = fs.readFileSync(path.join(FIXES_DIR, 'mp016', 'statements.py'), 'utf8').replace(/\n/g, '\r\n');
    const expected = fs.readFileSync(path.join(FIXES_DIR, 'mp016', 'statements.fixed.py'), 'utf8').replace(/\n/g, '\r\n');
    assert.equal(applyAllFixes(input, 'MP016'), expected);
  });
});
