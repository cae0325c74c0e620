// The call-shape and data-flow rules (MP003–MP008, MP011, MP015–MP019, MP021): registration,
// the severity of each kind of finding, where findings are reported, what messages say, and
// when no quick fix is offered. Which code is and is not reported lives in the corpus
// (server/test/corpus/mp0xx) and the fixes in server/test/fixes/mp0xx.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type Finding, lint } from '../../src/engine';
import { ruleByCode } from '../../src/rules/registry';
import { REPO_ROOT } from '../support/paths';

function findings(code: string, rule: string): Finding[] {
  return lint(code).filter((finding) => finding.code === rule);
}

function marked(code: string, finding: Finding): string {
  return code.slice(finding.offsets.from, finding.offsets.to);
}

function quickFixes(finding: Finding): string[] {
  return finding.fixes.filter((fix) => fix.kind === 'quickfix').map((fix) => fix.title);
}

const RULES: [string, string, string][] = [
  ['MP003', 'sync-primitive-to-pool', 'error'],
  ['MP004', 'target-called', 'error'],
  ['MP005', 'args-not-tuple', 'error'],
  ['MP006', 'positional-target', 'error'],
  ['MP007', 'unpicklable-callable', 'error'],
  ['MP008', 'set-start-method-misuse', 'error'],
  ['MP011', 'run-instead-of-start', 'warning'],
  ['MP015', 'daemon-children', 'error'],
  ['MP016', 'manager-nested-mutation', 'warning'],
  ['MP017', 'global-mutation-in-worker', 'warning'],
  ['MP018', 'unpicklable-arg', 'error'],
  ['MP019', 'fork-unsafe', 'warning'],
  ['MP021', 'bad-worker-count', 'error'],
];

describe('call-shape and data-flow rules: registration and docs', () => {
  for (const [code, name, severity] of RULES) {
    it(`${code} ${name}`, () => {
      const rule = ruleByCode(code);
      assert.ok(rule, `${code} is registered`);
      assert.equal(rule.meta.name, name);
      assert.equal(rule.meta.defaultSeverity, severity);
      assert.ok(rule.meta.summary.length > 10);
      const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${code}.md`), 'utf8');
      assert.ok(doc.startsWith(`# ${name} (${code})`), `docs/rules/${code}.md starts with its title`);
      for (const section of ['## What it does', '## Why is this bad?', '## Example', 'Use instead']) {
        assert.ok(doc.includes(section), `docs/rules/${code}.md has "${section}"`);
      }
    });
  }
});

/** The ```python blocks of a doc's "## Example" section: the first is the bad example, the rest the good ones. */
function exampleBlocks(doc: string): { bad: string; good: string[] } {
  const section = doc.slice(doc.indexOf('## Example'), doc.indexOf('\n## ', doc.indexOf('## Example') + 1));
  const blocks = [...section.matchAll(/```python\n([\s\S]*?)```/g)].map((match) => match[1]);
  return { bad: blocks[0], good: blocks.slice(1) };
}

describe('rule docs: the bad example is reported, the good ones are clean', () => {
  for (const [code] of RULES) {
    it(code, () => {
      const { bad, good } = exampleBlocks(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${code}.md`), 'utf8'));
      assert.ok(findings(bad, code).length > 0, `the bad example of ${code} must be reported`);
      assert.ok(good.length > 0);
      for (const example of good) assert.deepEqual(lint(example).map((finding) => `${finding.code}: ${finding.message}`), []);
    });
  }
});

describe('severity of each kind of finding', () => {
  const lambdaTarget = (setup: string): Finding[] =>
    findings(`import multiprocessing as mp\n${setup}\ndef main():\n    p = PROCESS(target=lambda: None)\n    p.start()\n    p.join()\n`, 'MP007');

  it('MP007: a Process target is an error under spawn/forkserver, a warning under the default, nothing under fork', () => {
    assert.deepEqual(lambdaTarget('PROCESS = mp.get_context("spawn").Process').map((f) => f.severity), ['error']);
    assert.deepEqual(lambdaTarget('PROCESS = mp.get_context("forkserver").Process').map((f) => f.severity), ['error']);
    assert.deepEqual(lambdaTarget('PROCESS = mp.Process\nmp.set_start_method("spawn", force=True)').map((f) => f.severity), ['error']);
    assert.deepEqual(lambdaTarget('PROCESS = mp.Process').map((f) => f.severity), ['warning']);
    assert.deepEqual(lambdaTarget('PROCESS = mp.get_context("fork").Process'), []);
  });

  it('MP007: Pool and executor tasks are errors under every start method', () => {
    const code =
      'import multiprocessing as mp\ndef main():\n    with mp.get_context("fork").Pool() as pool:\n        pool.map(lambda x: x, [1])\n';
    assert.deepEqual(findings(code, 'MP007').map((f) => f.severity), ['error']);
  });

  it('MP018: errors for tasks, warnings for Process arguments', () => {
    const code =
      'import multiprocessing as mp\ndef work(f):\n    return f\ndef main():\n    fh = open("x")\n' +
      '    with mp.Pool() as pool:\n        pool.apply(work, (fh,))\n' +
      '    p = mp.get_context("spawn").Process(target=work, args=(fh,))\n    p.start()\n    p.join()\n';
    assert.deepEqual(findings(code, 'MP018').map((f) => `${f.range.start.line + 1}:${f.severity}`), ['7:error', '8:warning']);
  });

  it('MP021: more than 61 executor workers is a warning (it fails on Windows only)', () => {
    const code =
      'from concurrent.futures import ProcessPoolExecutor as E\ndef main():\n    with E(0) as a, E(max_workers=62) as b:\n        return a, b\n';
    assert.deepEqual(findings(code, 'MP021').map((f) => f.severity), ['error', 'warning']);
  });

  it('a configured severity for the code wins over the finding\'s own', () => {
    const code = 'import multiprocessing as mp\ndef main():\n    p = mp.Process(target=lambda: None)\n    p.start()\n    p.join()\n';
    const configured = lint(code, { severity: { MP007: 'hint' } }).filter((f) => f.code === 'MP007');
    assert.deepEqual(configured.map((f) => f.severity), ['hint']);
  });
});

describe('where findings are reported and what they say', () => {
  it('MP003 marks the primitive inside the call, or the argument that carries it', () => {
    const code =
      'import multiprocessing as mp\ndef work(*a):\n    return a\ndef main():\n    q = mp.Queue()\n    jobs = [(q, 1)]\n' +
      '    with mp.Pool() as pool:\n        pool.apply(work, (1, q))\n        pool.starmap(work, jobs)\n';
    const [direct, carried] = findings(code, 'MP003');
    assert.equal(marked(code, direct), 'q');
    assert.equal(
      direct.message,
      '`q` (a multiprocessing Queue, from `mp.Queue()` on line 5) is sent to `pool.apply(...)` as task data: Pool tasks are ' +
        'pickled, and a Queue cannot be (RuntimeError: Queue objects should only be shared between processes through ' +
        'inheritance). Use `manager.Queue()` from a `multiprocessing.Manager()`, or give it to each worker through `initializer`/`initargs`',
    );
    assert.equal(marked(code, carried), 'jobs');
    assert.match(carried.message, /^`jobs` is sent to `pool\.starmap\(\.\.\.\)` as task data and contains a multiprocessing Queue \(`mp\.Queue\(\)` on line 5\)/);
  });

  it('MP003 names the error CPython raises for each primitive', () => {
    const message = (factory: string): string =>
      findings(`import multiprocessing as mp\ndef main():\n    with mp.Pool() as pool:\n        pool.apply(print, (mp.${factory},))\n`, 'MP003')[0].message;
    assert.match(message('Event()'), /RuntimeError: Condition objects should only/);
    assert.match(message('Value("i")'), /RuntimeError: Synchronized objects should only/);
    assert.match(message('SimpleQueue()'), /Use `manager\.Queue\(\)`/);
  });

  it('MP004 marks the call and explains what the parent does', () => {
    const code = 'import multiprocessing as mp\ndef work(n):\n    print(n)\ndef main():\n    p = mp.Process(target=work(1))\n    p.start()\n    p.join()\n';
    const [finding] = findings(code, 'MP004');
    assert.equal(marked(code, finding), 'work(1)');
    assert.match(finding.message, /^`target=work\(1\)` calls `work` here, in the parent/);
  });

  it('MP007 quotes the qualified name pickle cannot find', () => {
    const code =
      'import multiprocessing as mp\ndef main():\n    def inner(x):\n        return x\n    with mp.Pool() as pool:\n        pool.map(inner, [1])\n';
    const [finding] = findings(code, 'MP007');
    assert.equal(marked(code, finding), 'inner');
    assert.match(finding.message, /AttributeError: Can't pickle local object 'main\.<locals>\.inner'/);
  });

  it('MP008 names what fixed the start method first', () => {
    const code = 'import multiprocessing as mp\ndef main():\n    q = mp.Queue()\n    mp.set_start_method("spawn")\n    return q\n';
    const [finding] = findings(code, 'MP008');
    assert.match(finding.message, /after `mp\.Queue\(\)` on line 3 fixed the start method/);
  });

  it('MP015 reports the call inside the task and names the chain', () => {
    const code =
      'import multiprocessing as mp\ndef helper():\n    with mp.Pool() as inner:\n        return inner\n' +
      'def task(x):\n    helper()\n    return x\ndef main():\n    with mp.Pool() as pool:\n        pool.map(task, [1])\n';
    const [finding] = findings(code, 'MP015');
    assert.equal(marked(code, finding), 'helper()');
    assert.match(finding.message, /^`helper\(\)` starts a child process \(through `mp\.Pool\(\)` on line 3\), but `task` runs in a Pool worker/);
    assert.match(finding.message, /AssertionError: daemonic processes are not allowed to have children/);
  });

  it('MP017 marks the assigned name', () => {
    const code =
      'import multiprocessing as mp\ntotal = 0\ndef work():\n    global total\n    total = 1\ndef main():\n    p = mp.Process(target=work)\n    p.start()\n    p.join()\n';
    const [finding] = findings(code, 'MP017');
    assert.equal(marked(code, finding), 'total');
    assert.match(finding.message, /^`work` assigns the global `total` and runs in a child process, as the target of `mp\.Process\(\.\.\.\)` on line 7/);
  });
});

describe('no quick fix where it would not be right', () => {
  it('MP004: a positional target, or a keyword repeated in kwargs', () => {
    const positional = findings('import multiprocessing as mp\ndef w(a=0):\n    pass\nmp.Process(None, w(1))\n', 'MP004');
    assert.deepEqual(positional.map(quickFixes), [[]]);
    const repeated = findings('import multiprocessing as mp\ndef w(a=0):\n    pass\nmp.Process(target=w(a=1), kwargs={"a": 2})\n', 'MP004');
    assert.deepEqual(repeated.map(quickFixes), [[]]);
  });

  it('MP006: more positional arguments, or a target keyword already there', () => {
    const code = 'import multiprocessing as mp\ndef w():\n    pass\nmp.Process(w, w)\nmp.Process(w, target=w)\n';
    assert.deepEqual(findings(code, 'MP006').map(quickFixes), [[], []]);
  });

  it('MP016: a statement sharing its line, or a key with side effects', () => {
    const code =
      'import multiprocessing as mp\ndef main(flag, keys):\n    with mp.Manager() as m:\n        d = m.dict()\n' +
      '        if flag: d["a"].append(1)\n        d[keys.pop()].append(1)\n        d["a"].append(1); print(d)\n';
    assert.deepEqual(findings(code, 'MP016').map(quickFixes), [[], [], []]);
  });
});

describe('half-typed code', () => {
  it('does not throw while the user types a call', () => {
    const base =
      'import multiprocessing as mp\ndef work(x):\n    return x\ndef main():\n    q = mp.Queue()\n    with mp.Pool(0) as pool:\n' +
      '        pool.map(work, [q])\n    p = mp.Process(work, target=work(1), args=(5))\n    p.run()\n';
    for (let cut = 0; cut <= base.length; cut += 3) {
      assert.doesNotThrow(() => lint(base.slice(0, cut)), `cut at ${cut}`);
    }
  });
});
