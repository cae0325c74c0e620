// The rules built on control flow and object lifecycles (MP002, MP009, MP010, MP012, MP013,
// MP014, MP020): metadata, messages, and when their quick fixes are (not) offered. The corpus
// under server/test/corpus/ holds their cases; server/test/fixes/ their fix results.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type Finding, lint } from '../../src/engine';
import { parseSource } from '../../src/parser';
import { ruleByCode } from '../../src/rules/registry';
import { INSERT_CLOSE_TITLE } from '../../src/rules/mp002-pool-join-before-close/rule';
import { MOVE_DAEMON_TITLE } from '../../src/rules/mp010-process-lifecycle/moveDaemonAssignment';
import { CONVERT_TO_WITH_TITLE } from '../../src/rules/mp013-pool-not-closed/convertToWith';
import { applyEdits } from '../support/edits';
import { FIXES_DIR, REPO_ROOT } from '../support/paths';

const HEADER = 'import multiprocessing as mp\n\n\ndef square(x):\n    return x * x\n\n\n';

function findings(code: string, rule: string): Finding[] {
  return lint(code, { select: [rule] });
}

function quickFix(finding: Finding, title: string): Finding['fixes'][number] | undefined {
  return finding.fixes.find((fix) => fix.kind === 'quickfix' && fix.title === title);
}

describe('lifecycle rules', () => {
  it('are registered with their names, severities and documentation pages', () => {
    const expected: [string, string, string][] = [
      ['MP002', 'pool-join-before-close', 'error'],
      ['MP009', 'pool-used-after-close', 'error'],
      ['MP010', 'process-lifecycle', 'error'],
      ['MP012', 'join-before-drain', 'warning'],
      ['MP013', 'pool-not-closed', 'warning'],
      ['MP014', 'async-result-ignored', 'warning'],
      ['MP020', 'terminate-shared-resource', 'warning'],
    ];
    for (const [code, name, severity] of expected) {
      const rule = ruleByCode(code);
      assert.ok(rule, code);
      assert.equal(rule.meta.name, name);
      assert.equal(rule.meta.defaultSeverity, severity);
      const page = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${code}.md`), 'utf8');
      assert.ok(page.startsWith(`# ${name} (${code})\n`), `${code}.md title`);
      assert.match(page, /## Why is this bad\?/);
    }
  });

  it('MP002 names the path and offers close() at the join’s indentation', () => {
    const code = `${HEADER}def main(flag):\n    pool = mp.Pool(2)\n    if flag:\n        pool.close()\n    pool.join()\n`;
    const [finding] = findings(code, 'MP002');
    assert.equal(finding.severity, 'error');
    assert.equal(
      finding.message,
      '`pool.join()` while the pool is still running: on some path from `mp.Pool(2)` (line 9) no `pool.close()` or ' +
        '`pool.terminate()` comes before it. join() raises ValueError: Pool is still running. Call `pool.close()` first',
    );
    const fix = quickFix(finding, INSERT_CLOSE_TITLE);
    assert.ok(fix);
    assert.equal(applyEdits(code, fix.edits), code.replace('    pool.join()\n', '    pool.close()\n    pool.join()\n'));
  });

  it('MP002 keeps CRLF line endings and offers no fix for a receiver it cannot repeat', () => {
    const input = fs.readFileSync(path.join(FIXES_DIR, 'mp002', 'statements.py'), 'utf8').replace(/\n/g, '\r\n');
    const [first] = findings(input, 'MP002');
    const fix = quickFix(first, INSERT_CLOSE_TITLE);
    assert.ok(fix);
    const result = applyEdits(input, fix.edits);
    assert.ok(result.includes('    pool.close()\r\n    pool.join()\r\n'));
    assert.ok(!/[^\r]\n/.test(result), 'only CRLF line breaks');
    const chained = `${HEADER}def main():\n    mp.Pool(2).join()\n`;
    const [finding] = findings(chained, 'MP002');
    assert.ok(finding);
    assert.equal(quickFix(finding, INSERT_CLOSE_TITLE), undefined);
  });

  it('MP009 says what closed the pool', () => {
    const code = `${HEADER}def main():\n    pool = mp.Pool(2)\n    pool.terminate()\n    return pool.imap(square, [1])\n`;
    assert.deepEqual(
      findings(code, 'MP009').map((finding) => finding.message),
      ['`pool.imap()` after `pool.terminate()` on line 10: the pool no longer accepts work and this raises ValueError: Pool not running'],
    );
  });

  it('MP010 moves the daemon assignment only when nothing in between could change its meaning', () => {
    const offered = `${HEADER}def main():\n    p = mp.Process(target=square, args=(1,))\n    p.start()\n    p.daemon = True\n    p.join()\n`;
    const [finding] = findings(offered, 'MP010');
    const fix = quickFix(finding, MOVE_DAEMON_TITLE);
    assert.ok(fix);
    assert.equal(applyEdits(offered, fix.edits), offered.replace('    p.start()\n    p.daemon = True\n', '    p.daemon = True\n    p.start()\n'));
    const notOffered = [
      // The value is computed after start().
      `${HEADER}def main():\n    p = mp.Process(target=square, args=(1,))\n    p.start()\n    flag = decide()\n    p.daemon = flag\n    p.join()\n`,
      // The value calls something.
      `${HEADER}def main():\n    p = mp.Process(target=square, args=(1,))\n    p.start()\n    p.daemon = decide()\n    p.join()\n`,
      // Two different starts reach it.
      `${HEADER}def main(x):\n    p = mp.Process(target=square, args=(1,))\n    if x:\n        p.start()\n    else:\n        p.start()\n    p.daemon = True\n    p.join()\n`,
      // Not in the same suite.
      `${HEADER}def main(x):\n    p = mp.Process(target=square, args=(1,))\n    p.start()\n    if x:\n        p.daemon = True\n    p.join()\n`,
    ];
    for (const code of notOffered) {
      const [late] = findings(code, 'MP010');
      assert.ok(late, code);
      assert.equal(quickFix(late, MOVE_DAEMON_TITLE), undefined, code);
    }
  });

  it('MP012 names the queue and the function that fills it', () => {
    const code =
      `${HEADER}def fill(out):\n    out.put(1)\n\n\ndef main():\n    q = mp.Queue()\n    p = mp.Process(target=fill, args=(q,))\n` +
      '    p.start()\n    p.join()\n    return q.get()\n';
    const [finding] = findings(code, 'MP012');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /^`p\.join\(\)` before the parent takes anything out of `q`, which `fill` fills with put\(\)/);
  });

  it('MP013 converts to `with` only when the result is clearly the same program', () => {
    const offered = `${HEADER}def main(items):\n    pool = mp.Pool(2)\n    results = pool.map(square, items)\n    return sum(results)\n`;
    const [finding] = findings(offered, 'MP013');
    const fix = quickFix(finding, CONVERT_TO_WITH_TITLE);
    assert.ok(fix);
    const result = applyEdits(offered, fix.edits);
    assert.equal(result, offered.replace('    pool = mp.Pool(2)\n    results', '    with mp.Pool(2) as pool:\n        results'));
    assert.deepEqual(parseSource(result).errors, []);
    assert.deepEqual(lint(result), []);
    const notOffered = [
      // Async work not waited for before the block would end (exit terminates the pool).
      `${HEADER}def main(items):\n    pool = mp.Pool(2)\n    handles = [pool.apply_async(square, (i,)) for i in items]\n    return [h.get() for h in handles]\n`,
      // The pool is used other than by waiting method calls.
      `${HEADER}def main(items):\n    pool = mp.Pool(2)\n    results = pool.map(square, items)\n    print(pool._processes)\n    return results\n`,
      // Used in another suite than the creation's.
      `${HEADER}def main(items, flag):\n    if flag:\n        pool = mp.Pool(2)\n    else:\n        pool = mp.Pool(4)\n    return pool.map(square, items)\n`,
      // Rebound in the range.
      `${HEADER}def main(items):\n    pool = mp.Pool(2)\n    first = pool.map(square, items)\n    pool = mp.Pool(2)\n    pool.terminate()\n    return first\n`,
      // Annotated assignment.
      `${HEADER}def main(items):\n    pool: mp.pool.Pool = mp.Pool(2)\n    return pool.map(square, items)\n`,
    ];
    for (const code of notOffered) {
      const reported = findings(code, 'MP013');
      assert.ok(reported.length > 0, code);
      for (const each of reported) assert.equal(quickFix(each, CONVERT_TO_WITH_TITLE), undefined, code);
    }
  });

  it('MP013 keeps closing calls inside the new block and CRLF line endings', () => {
    const input = fs.readFileSync(path.join(FIXES_DIR, 'mp013', 'with_block.py'), 'utf8').replace(/\n/g, '\r\n');
    const finding = findings(input, 'MP013').find((candidate) => candidate.message.includes('not closed on every path'));
    assert.ok(finding);
    const fix = quickFix(finding, CONVERT_TO_WITH_TITLE);
    assert.ok(fix);
    const result = applyEdits(input, fix.edits);
    assert.ok(result.includes('    with mp.Pool(4) as pool:\r\n        handles = '));
    assert.ok(result.includes('\r\n        pool.close()\r\n        pool.join()\r\n    return [handle.get()'));
  });

  it('MP014 and MP020 explain what is lost', () => {
    const ignored = `${HEADER}def main():\n    with mp.Pool(2) as pool:\n        pool.apply_async(square, (1,))\n        pool.close()\n        pool.join()\n`;
    assert.deepEqual(
      findings(ignored, 'MP014').map((finding) => finding.message),
      [
        'the result of `pool.apply_async(...)` is discarded and no error_callback is given: if the task raises, the exception ' +
          'is silently lost. To see failures, keep the AsyncResult and call its get(), or pass error_callback=',
      ],
    );
    const terminated = `${HEADER}def hold(lock):\n    with lock:\n        pass\n\n\ndef main():\n    lock = mp.Lock()\n    p = mp.Process(target=hold, args=(lock,))\n    p.start()\n    p.terminate()\n`;
    const [finding] = findings(terminated, 'MP020');
    assert.match(finding.message, /^`p\.terminate\(\)` stops a process that uses the Lock `lock`: /);
  });
});
