// Hover text: rule explanations on findings, and API documentation for names that resolve to
// multiprocessing / concurrent.futures, through every way the code can reach them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ModuleAnalysis } from '../../src/analysis';
import { lint } from '../../src/engine';
import { apiDoc, documentedApiKeys, methodDoc } from '../../src/hover/apiDocs';
import { hoverAt } from '../../src/hover/hover';
import { rationaleFromPage, ruleDocsFolder, ruleRationale } from '../../src/hover/ruleExplanation';
import { parseSource } from '../../src/parser';
import { ALL_RULES } from '../../src/rules/registry';
import { REPO_ROOT } from '../support/paths';

/** The hover at the `|` marker (removed from the code). */
function hover(marked: string): string | undefined {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'the code needs a | marker');
  const code = marked.slice(0, offset) + marked.slice(offset + 1);
  const analysis = new ModuleAnalysis(parseSource(code), { name: 'app', isPackage: false });
  return hoverAt(analysis, lint(analysis), offset)?.markdown;
}

/** The first line of the signature block, e.g. `multiprocessing.pool.Pool.map(func, …)`. */
function signature(markdown: string | undefined): string | undefined {
  return markdown === undefined ? undefined : /```python\n([^\n]*)\n```/.exec(markdown)?.[1];
}

describe('hover: multiprocessing API documentation', () => {
  it('resolves module attributes, from-imports and aliases', () => {
    assert.match(signature(hover('import multiprocessing as mp\nmp.Po|ol(2)\n'))!, /^multiprocessing\.pool\.Pool\(processes=None/);
    assert.match(signature(hover('from multiprocessing import Pool as P\nwith |P(2) as p:\n    pass\n'))!, /^multiprocessing\.pool\.Pool\(/);
    assert.match(signature(hover('import multiprocessing\nmultiprocessing.Proc|ess(target=f)\n'))!, /^multiprocessing\.Process\(group=None, target=None/);
    assert.match(signature(hover('from concurrent.futures import ProcessPoolExecutor\nProcessPool|Executor()\n'))!, /^concurrent\.futures\.ProcessPoolExecutor\(max_workers/);
    assert.match(signature(hover('import concurrent.futures as cf\ncf.ProcessPoolEx|ecutor()\n'))!, /^concurrent\.futures\.ProcessPoolExecutor\(/);
    assert.match(signature(hover('import multiprocessing as mp\nmp.set_start_m|ethod("spawn")\n'))!, /^multiprocessing\.set_start_method\(method, force=False\)/);
    assert.match(signature(hover('from multiprocessing import Qu|eue\n'))!, /^multiprocessing\.Queue\(maxsize=0\)/, 'hover on the import itself');
    assert.match(signature(hover('import multiprocessing.po|ol\n')) ?? 'none', /none/, 'a module has no entry');
  });

  it('follows contexts and says which start method they bind', () => {
    const text = hover('import multiprocessing as mp\nctx = mp.get_context("spawn")\np = ctx.Pro|cess(target=f)\n');
    assert.match(signature(text)!, /^multiprocessing\.Process\(/);
    assert.match(text!, /uses the "spawn" start method/);
    const context = hover('import multiprocessing as mp\nctx = mp.get_context("forkserver")\nc|tx.Queue()\n');
    assert.match(context!, /multiprocessing context for the "forkserver" start method/);
  });

  it('documents methods of the objects variables hold', () => {
    const cases: [string, RegExp][] = [
      ['import multiprocessing as mp\npool = mp.Pool()\npool.ma|p(f, xs)\n', /^multiprocessing\.pool\.Pool\.map\(func, iterable/],
      ['import multiprocessing as mp\nwith mp.Pool() as pool:\n    pool.apply_as|ync(f)\n', /^multiprocessing\.pool\.Pool\.apply_async\(/],
      ['from concurrent.futures import ProcessPoolExecutor\nwith ProcessPoolExecutor() as ex:\n    ex.sub|mit(f)\n', /^concurrent\.futures\.ProcessPoolExecutor\.submit\(fn/],
      ['import multiprocessing as mp\np = mp.Process(target=f)\np.sta|rt()\np.join()\n', /^multiprocessing\.Process\.start\(\)/],
      ['import multiprocessing as mp\nq = mp.Queue()\nq.p|ut(1)\n', /^multiprocessing\.Queue\.put\(obj/],
      ['import multiprocessing as mp\nq = mp.JoinableQueue()\nq.g|et()\nq.task_done()\n', /^multiprocessing\.Queue\.get\(/],
      ['import multiprocessing as mp\nm = mp.Manager()\nd = m.dict()\nm.sh|utdown()\n', /none/],
      ['import multiprocessing as mp\ndef run():\n    pool = mp.Pool()\n    pool.clo|se()\n', /^multiprocessing\.pool\.Pool\.close\(\)/],
      ['import multiprocessing as mp\nmp.Pool().ter|minate()\n', /^multiprocessing\.pool\.Pool\.terminate\(\)/],
    ];
    for (const [code, expected] of cases) assert.match(signature(hover(code)) ?? 'none', expected, code);
  });

  it('describes a variable holding a known object', () => {
    const text = hover('import multiprocessing as mp\npool = mp.Pool()\npo|ol.close()\n');
    assert.match(text!, /^`pool`: a `multiprocessing\.pool\.Pool` object/);
  });

  it('does not guess', () => {
    const cases = [
      'import multiprocessing as mp\npool = mp.Pool() if x else None\npool.ma|p(f, xs)\n',
      'def f(pool):\n    pool.ma|p(g, xs)\n',
      'from mylib import Pool\nPo|ol()\n',
      'import multiprocessing as mp\nmp = other\nmp.Po|ol()\n',
      'x = 1\n|\n',
      'pri|nt("hello")\n',
    ];
    for (const code of cases) assert.equal(hover(code), undefined, code);
  });

  it('documents every entry with a signature, some text and a Python documentation link', () => {
    for (const key of documentedApiKeys()) {
      const doc = apiDoc(key)!;
      assert.ok(doc.signature.length > 2 && doc.text.length > 10, key);
      assert.match(doc.reference, /^https:\/\/docs\.python\.org\/3\/library\/[a-z._]+\.html#[\w.]+$/, key);
    }
    assert.equal(methodDoc('multiprocessing.JoinableQueue', 'put')?.key, 'multiprocessing.Queue.put');
    assert.equal(methodDoc('multiprocessing.Pool', 'map')?.key, 'multiprocessing.pool.Pool.map');
    assert.equal(methodDoc('multiprocessing.pool.Pool', 'nonexistent'), undefined);
  });
});

describe('hover: findings', () => {
  it('explains the rule of a finding under the cursor, with its rationale and documentation link', () => {
    const text = hover('import multiprocessing as mp\n\ndef f(x):\n    return x\n\npool = mp.Pool(2)\npool.map(f, [1])|\n');
    assert.equal(text, undefined, 'no finding and no API name at the end of the line');
    const onFinding = hover('import multiprocessing as mp\n\ndef f(x):\n    return x\n\npool = mp.Pool(|2)\n');
    assert.ok(onFinding);
    assert.match(onFinding, /^\*\*mpscope MP001\*\* `missing-main-guard` \(error\)/);
    assert.match(onFinding, /spawn/, 'the rationale from docs/rules/MP001.md');
    assert.match(onFinding, /\[MP001 documentation\]\(https:\/\/github\.com\/mpscope\/mpscope\/blob\/main\/docs\/rules\/MP001\.md\)/);
  });

  it('reads each registered rule\'s rationale from its documentation page', () => {
    assert.equal(ruleDocsFolder(), path.join(REPO_ROOT, 'docs', 'rules'));
    for (const rule of ALL_RULES) {
      const rationale = ruleRationale(rule.meta.code);
      assert.ok(rationale && rationale.length > 40, `docs/rules/${rule.meta.code}.md needs a "## Why is this bad?" section with a first paragraph`);
    }
  });

  it('takes the first paragraph under the "Why" heading', () => {
    const page = '# x (MP000)\n\n## What it does\n\nStuff.\n\n## Why is this bad?\n\nFirst line\ncontinues.\n\nSecond paragraph.\n';
    assert.equal(rationaleFromPage(page), 'First line continues.');
    assert.equal(rationaleFromPage('# no why here\n'), undefined);
    assert.equal(rationaleFromPage('## Why\n```\ncode\n```\n'), undefined);
  });

  it('every documentation page the hover links to exists in the repository', () => {
    for (const rule of ALL_RULES) assert.ok(fs.existsSync(path.join(REPO_ROOT, 'docs', 'rules', `${rule.meta.code}.md`)), rule.meta.code);
  });
});
