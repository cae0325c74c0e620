// The MP001 quick fix applied to each case under server/test/fixes/mp001 gives the reviewed
// `.fixed.py` next to it, parses without errors and leaves no MP001.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../src/engine';
import { parseSource } from '../../src/parser';
import { WRAP_IN_MAIN_GUARD_TITLE } from '../../src/rules/mp001-missing-main-guard/wrapInMainGuard';
import { applyEdits } from '../support/edits';
import { FIXES_DIR, filesUnder } from '../support/paths';

function applyWrapFix(text: string): string {
  const finding = lint(text).find((candidate) => candidate.code === 'MP001');
  assert.ok(finding, 'the case must have an MP001 finding');
  const fix = finding.fixes.find((candidate) => candidate.title === WRAP_IN_MAIN_GUARD_TITLE);
  assert.ok(fix, 'the finding must offer the wrap fix');
  return applyEdits(text, fix.edits);
}

function assertCleanResult(result: string): void {
  assert.deepEqual(parseSource(result).errors, [], `the result must parse:\n${result}`);
  assert.deepEqual(
    lint(result).map((finding) => finding.message),
    [],
  );
}

describe('MP001 fix: wrap in main guard', () => {
  const inputs = filesUnder(path.join(FIXES_DIR, 'mp001'), '.py').filter((file) => !file.endsWith('.fixed.py'));
  it('has cases', () => assert.ok(inputs.length >= 8));
  for (const input of inputs) {
    it(path.basename(input, '.py'), () => {
      const result = applyWrapFix(fs.readFileSync(input, 'utf8'));
      assert.equal(result, fs.readFileSync(input.replace(/\.py$/, '.fixed.py'), 'utf8'));
      assertCleanResult(result);
    });
  }

  it('keeps CRLF line endings', () => {
    const input = fs.readFileSync(path.join(FIXES_DIR, 'mp001', 'basic.py'), 'utf8').replace(/\n/g, '\r\n');
    const expected = fs.readFileSync(path.join(FIXES_DIR, 'mp001', 'basic.fixed.py'), 'utf8').replace(/\n/g, '\r\n');
    const result = applyWrapFix(input);
    assert.equal(result, expected);
    assertCleanResult(result);
  });

  it('is idempotent in effect: fixing the fixed file offers nothing more', () => {
    const result = applyWrapFix('import multiprocessing as mp\nmp.Process(target=print).start()\n');
    assert.equal(result, 'import multiprocessing as mp\nif __name__ == "__main__":\n    mp.Process(target=print).start()\n');
    assertCleanResult(result);
  });

  it('wraps a region that ends the file without a final newline', () => {
    const result = applyWrapFix('import multiprocessing as mp\np = mp.Pool()\n# tail comment');
    assert.equal(result, 'import multiprocessing as mp\nif __name__ == "__main__":\n    p = mp.Pool()\n# tail comment');
    assertCleanResult(result);
  });

  it('keeps executable statements before the first process start where they are', () => {
    const result = applyWrapFix('import multiprocessing as mp\nmp.set_start_method("fork")\nN = 2\npool = mp.Pool(N)\n');
    assert.equal(
      result,
      'import multiprocessing as mp\nmp.set_start_method("fork")\nN = 2\nif __name__ == "__main__":\n    pool = mp.Pool(N)\n',
    );
  });

  it('moves an import-time set_start_method("spawn") under the guard too (children would repeat it: MP008)', () => {
    const result = applyWrapFix('import multiprocessing as mp\nmp.set_start_method("spawn")\nN = 2\npool = mp.Pool(N)\n');
    assert.equal(
      result,
      'import multiprocessing as mp\nif __name__ == "__main__":\n    mp.set_start_method("spawn")\n    N = 2\n    pool = mp.Pool(N)\n',
    );
    assertCleanResult(result);
  });
});
