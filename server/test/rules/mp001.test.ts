import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Finding, lint } from '../../src/engine';
import { RULE_DOCS_BASE_URL, ruleDocsUrl } from '../../src/rules/docsUrl';
import { ALL_RULES, ruleByCode } from '../../src/rules/registry';

function findings(code: string): Finding[] {
  return lint(code).filter((finding) => finding.code === 'MP001');
}

function marked(code: string, finding: Finding): string {
  return code.slice(finding.offsets.from, finding.offsets.to);
}

describe('MP001 missing-main-guard', () => {
  it('is registered with its metadata', () => {
    const rule = ruleByCode('MP001');
    assert.ok(rule);
    assert.equal(rule.meta.name, 'missing-main-guard');
    assert.equal(rule.meta.defaultSeverity, 'error');
    assert.equal(ruleDocsUrl('MP001'), `${RULE_DOCS_BASE_URL}MP001.md`);
    assert.equal(new Set(ALL_RULES.map((candidate) => candidate.meta.code)).size, ALL_RULES.length);
  });

  it('reports an error on the creating call, with a message that starts "missing main guard"', () => {
    const code = 'import multiprocessing as mp\npool = mp.Pool(\n    4,\n)\n';
    const [finding] = findings(code);
    assert.equal(finding.severity, 'error');
    assert.equal(marked(code, finding), 'mp.Pool(\n    4,\n)');
    assert.deepEqual(finding.range, { start: { line: 1, character: 7 }, end: { line: 3, character: 1 } });
    assert.equal(
      finding.message,
      'missing main guard: `mp.Pool(...)` starts a process pool at import time, outside `if __name__ == "__main__":`',
    );
  });

  it('names the call chain when the process starts in a function of the module', () => {
    const code =
      'from multiprocessing import Process\n\ndef spawn_one():\n    Process(target=print).start()\n\n' +
      'def main():\n    spawn_one()\n\nmain()\n';
    const [finding] = findings(code);
    assert.equal(marked(code, finding), 'main()');
    assert.equal(
      finding.message,
      'missing main guard: `main()` creates a process at import time (through `spawn_one()` → `Process(...)` on line 4), ' +
        'outside `if __name__ == "__main__":`',
    );
  });

  it('follows recursion without looping', () => {
    const code = 'import multiprocessing as mp\ndef a(n):\n    return b(n)\ndef b(n):\n    a(n)\n    mp.Pool()\na(1)\n';
    assert.equal(findings(code).length, 1);
  });

  it('describes each kind of process API', () => {
    const code =
      'import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor\n' +
      'mp.Process()\nmp.Pool()\nmp.Manager()\nProcessPoolExecutor()\n';
    const effects = findings(code).map((finding) => /`[^`]*` (.*) at import time/.exec(finding.message)?.[1]);
    assert.deepEqual(effects, [
      'creates a process',
      'starts a process pool',
      'starts a manager process',
      'creates a process pool executor',
    ]);
  });

  it('reports once per call even when a call is both inside another reported call', () => {
    const code = 'import multiprocessing as mp\ndef make():\n    return mp.Pool()\nprint(make(), mp.Pool())\n';
    assert.deepEqual(
      findings(code).map((finding) => marked(code, finding)),
      ['make()', 'mp.Pool()'],
    );
  });

  it('offers the wrap fix and the ignore fix on every finding', () => {
    const code = 'import multiprocessing as mp\np = mp.Process()\nq = mp.Process()\n';
    const all = findings(code);
    assert.equal(all.length, 2);
    for (const finding of all) {
      assert.deepEqual(
        finding.fixes.map((fix) => [fix.title, fix.kind, fix.isPreferred]),
        [
          ['Wrap in `if __name__ == "__main__":`', 'quickfix', true],
          ['Ignore MP001 on this line', 'suppression', false],
        ],
      );
    }
    assert.deepEqual(all[0].fixes[0].edits, all[1].fixes[0].edits, 'one wrap covers both');
  });

  it('offers no wrap fix while the code to move has a syntax error', () => {
    const code = 'import multiprocessing as mp\npool = mp.Pool(2)\nprint(pool.map(abs, [1]\n';
    const [finding] = findings(code);
    assert.ok(finding, 'the finding itself is still reported');
    assert.deepEqual(
      finding.fixes.map((fix) => fix.kind),
      ['suppression'],
    );
  });
});
