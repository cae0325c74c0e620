import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, parseSuppressionComment } from '../../src/engine';
import { applyEdits } from '../support/edits';

const UNGUARDED = 'import multiprocessing as mp\npool = mp.Pool(2)';

function codesAfter(line: string): string[] {
  return lint(`import multiprocessing as mp\n${line}\n`).map((finding) => finding.code);
}

describe('suppression comments', () => {
  it('parses the accepted forms', () => {
    assert.deepEqual(parseSuppressionComment('# noqa'), { all: true, codes: new Set() });
    assert.deepEqual(parseSuppressionComment('# noqa: MP001, E501'), { all: false, codes: new Set(['MP001', 'E501']) });
    assert.deepEqual(parseSuppressionComment('# NOQA:mp001'), { all: false, codes: new Set(['MP001']) });
    assert.deepEqual(parseSuppressionComment('# mpscope: ignore[MP001,MP002]'), { all: false, codes: new Set(['MP001', 'MP002']) });
    assert.deepEqual(parseSuppressionComment('# mpscope: ignore'), { all: true, codes: new Set() });
    assert.deepEqual(parseSuppressionComment('# type: ignore  # mpscope: ignore[MP001]'), { all: false, codes: new Set(['MP001']) });
    assert.equal(parseSuppressionComment('# an ordinary comment about noqa-free code'), undefined);
  });

  it('silences the finding on its line', () => {
    assert.deepEqual(codesAfter('pool = mp.Pool(2)'), ['MP001']);
    assert.deepEqual(codesAfter('pool = mp.Pool(2)  # noqa: MP001'), []);
    assert.deepEqual(codesAfter('pool = mp.Pool(2)  # noqa'), []);
    assert.deepEqual(codesAfter('pool = mp.Pool(2)  # mpscope: ignore[MP001]'), []);
    assert.deepEqual(codesAfter('pool = mp.Pool(2)  # mpscope: ignore'), []);
  });

  it('does not silence other codes or other lines', () => {
    assert.deepEqual(codesAfter('pool = mp.Pool(2)  # noqa: E501'), ['MP001']);
    assert.deepEqual(codesAfter('pool = mp.Pool(2)  # mpscope: ignore[MP002]'), ['MP001']);
    assert.deepEqual(codesAfter('# noqa: MP001\npool = mp.Pool(2)'), ['MP001']);
    assert.deepEqual(codesAfter('pool = mp.Pool(2); x = "# noqa: MP001"'), ['MP001']);
  });

  it('accepts the comment on the last line of a multi-line call', () => {
    assert.deepEqual(codesAfter('pool = mp.Pool(\n    2,\n)  # noqa: MP001'), []);
    assert.deepEqual(codesAfter('pool = mp.Pool(  # noqa: MP001\n    2,\n)'), []);
    assert.deepEqual(codesAfter('pool = mp.Pool(\n    2,  # noqa: MP001\n)'), ['MP001']);
  });
});

describe('ignore-on-this-line fix', () => {
  function ignoreFixResult(code: string): string | undefined {
    const [finding] = lint(code);
    const fix = finding.fixes.find((candidate) => candidate.kind === 'suppression');
    return fix && applyEdits(code, fix.edits);
  }

  it('appends a comment to the line', () => {
    assert.equal(ignoreFixResult(`${UNGUARDED}   \n`), `${UNGUARDED}  # mpscope: ignore[MP001]\n`);
  });

  it('adds the code to an existing ignore list and appends after another comment', () => {
    assert.equal(
      ignoreFixResult(`${UNGUARDED}  # mpscope: ignore[MP002]\n`),
      `${UNGUARDED}  # mpscope: ignore[MP002, MP001]\n`,
    );
    assert.equal(ignoreFixResult(`${UNGUARDED}  # type: ignore\n`), `${UNGUARDED}  # type: ignore  # mpscope: ignore[MP001]\n`);
  });

  it('uses the call’s last line when its first line ends inside a string', () => {
    const code = 'import multiprocessing as mp\np = mp.Process(target=print, args=("""a\nb""",))\n';
    assert.equal(
      ignoreFixResult(code),
      'import multiprocessing as mp\np = mp.Process(target=print, args=("""a\nb""",))  # mpscope: ignore[MP001]\n',
    );
  });

  it('results in code that lints clean', () => {
    const fixed = ignoreFixResult(`${UNGUARDED}\n`);
    assert.ok(fixed);
    assert.deepEqual(lint(fixed), []);
  });
});
