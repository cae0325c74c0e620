// Object lifecycles along control flow: which names hold which tracked objects, and in which
// phase, at each method call the rules look at.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModuleAnalysis } from '../../src/analysis';
import type { CallObservation, ExitObservation, Observation } from '../../src/analysis/lifecycle';
import * as fs from 'node:fs';
import { parseSource } from '../../src/parser';
import { CORPUS_DIR, FIXES_DIR, filesUnder } from '../support/paths';
import { SeededRandom } from '../support/random';

function observationsOf(code: string): readonly Observation[] {
  return new ModuleAnalysis(parseSource(code), undefined).lifecycles.observations;
}

/** `receiver.method` → the phases the receiver may be in just before the call (sorted, unique). */
function phasesAt(code: string, call: string): string[] {
  const source = parseSource(code);
  const analysis = new ModuleAnalysis(source, undefined);
  const found = analysis.lifecycles.observations.filter(
    (observation): observation is CallObservation =>
      observation.kind === 'call' && source.text.slice(observation.call.from, observation.call.to).startsWith(call),
  );
  assert.ok(found.length > 0, `no observation of ${call}`);
  return [...new Set(found.flatMap((observation) => observation.facts.map((fact) => fact.phase)))].sort();
}

function exitOf(code: string): ExitObservation[] {
  return observationsOf(code).filter((observation): observation is ExitObservation => observation.kind === 'exit');
}

const HEADER = 'import multiprocessing as mp\nfrom multiprocessing import Pool, Process, Queue, Pipe\n';

describe('lifecycle analysis', () => {
  it('recognises creations through every import form, contexts and subclasses', () => {
    const code =
      'import multiprocessing as mp\nfrom multiprocessing import Pool as P\nimport multiprocessing.pool\n' +
      'from concurrent.futures import ProcessPoolExecutor\n' +
      'class Worker(mp.Process):\n    pass\n' +
      'class Custom(mp.Process):\n    def start(self):\n        pass\n' +
      'def f():\n    a = P()\n    b = multiprocessing.pool.ThreadPool()\n    ctx = mp.get_context("spawn")\n' +
      '    c = ctx.Pool()\n    d = ProcessPoolExecutor()\n    e = Worker()\n    g = Custom()\n    h = mp.Manager().Queue()\n' +
      '    i = ctx.SimpleQueue()\n    j, k = mp.Pipe()\n    l = mp.RLock()\n';
    const analysis = new ModuleAnalysis(parseSource(code), undefined);
    assert.deepEqual(
      analysis.lifecycles.objects.map((object) => `${object.kind}:${object.className}`),
      [
        'pool:multiprocessing.Pool',
        'pool:multiprocessing.pool.ThreadPool',
        'pool:multiprocessing.Pool',
        'executor:concurrent.futures.ProcessPoolExecutor',
        'process:Worker',
        'queue:multiprocessing.SimpleQueue',
        'connection:multiprocessing.Pipe',
        'connection:multiprocessing.Pipe',
        'lock:multiprocessing.RLock',
      ],
    );
  });

  it('follows aliases, with targets and attribute paths', () => {
    assert.deepEqual(phasesAt(`${HEADER}def f():\n    pool = Pool()\n    other = pool\n    other.close()\n    pool.join()\n`, 'pool.join'), ['closed']);
    assert.deepEqual(phasesAt(`${HEADER}def f():\n    with Pool() as p:\n        p.map(abs, [])\n    p.join()\n`, 'p.map'), ['running']);
    assert.deepEqual(phasesAt(`${HEADER}def f():\n    with Pool() as p:\n        p.map(abs, [])\n    p.join()\n`, 'p.join'), ['exited']);
    assert.deepEqual(phasesAt(`${HEADER}def f(self):\n    self.pool = Pool()\n    self.pool.close()\n    self.pool.join()\n`, 'self.pool.join'), ['closed']);
  });

  it('forgets what code it cannot see may change', () => {
    // Passed to a call.
    assert.deepEqual(phasesAt(`${HEADER}def f():\n    pool = Pool()\n    helper(pool)\n    pool.join()\n`, 'pool.join'), ['unknown']);
    // A method of self may close self.pool.
    assert.deepEqual(phasesAt(`${HEADER}def f(self):\n    self.pool = Pool()\n    self.stop()\n    self.pool.join()\n`, 'self.pool.join'), ['unknown']);
    // A nested function that uses the name.
    assert.deepEqual(
      phasesAt(`${HEADER}def f():\n    pool = Pool()\n    def stop():\n        pool.close()\n    stop()\n    pool.join()\n`, 'pool.join'),
      ['unknown'],
    );
    // Harmless builtins do not count.
    assert.deepEqual(phasesAt(`${HEADER}def f():\n    pool = Pool()\n    print(pool, len([pool]))\n    pool.join()\n`, 'pool.join'), ['running']);
  });

  it('does not confuse a comprehension variable with a name of the body', () => {
    const code = `${HEADER}def f(queues):\n    q = Queue()\n    items = [q.get() for q in queues]\n    q.put(1)\n`;
    const calls = observationsOf(code).filter((observation) => observation.kind === 'call') as CallObservation[];
    assert.deepEqual(
      calls.map((observation) => observation.method),
      ['put'],
    );
  });

  it('refines on None and truth tests of the name', () => {
    const code = `${HEADER}def f():\n    pool = None\n    try:\n        pool = Pool()\n    finally:\n        if pool is not None:\n            pool.close()\n        else:\n            pool.join()\n`;
    const joins = observationsOf(code).filter((observation) => observation.kind === 'call' && observation.method === 'join') as CallObservation[];
    assert.deepEqual(
      joins.map((observation) => observation.facts.length),
      [],
    );
  });

  it('keeps paths apart when the same unchanged name is tested twice', () => {
    const correlated = `${HEADER}def f(flag):\n    p = Process()\n    if flag:\n        p.start()\n    work()\n    if flag:\n        p.join()\n`;
    assert.deepEqual(phasesAt(correlated, 'p.join'), ['started']);
    const changed = `${HEADER}def f(flag):\n    p = Process()\n    if flag:\n        p.start()\n    flag = other()\n    if flag:\n        p.join()\n`;
    assert.deepEqual(phasesAt(changed, 'p.join'), ['created', 'started']);
    const conditionalValue = `${HEADER}def f(parallel):\n    pool = Pool() if parallel else None\n    if not parallel:\n        return\n    pool.close()\n`;
    assert.deepEqual(phasesAt(conditionalValue, 'pool.close'), ['running']);
    // `while flag:` on an unchanged name only ends when the flag was false from the start.
    const loop = `${HEADER}def f(flag):\n    pool = Pool()\n    while flag:\n        pool.close()\n    pool.join()\n`;
    assert.deepEqual(phasesAt(loop, 'pool.join'), ['running']);
  });

  it('moves the phases of processes and queues', () => {
    const code =
      `${HEADER}def fill(q):\n    q.put(1)\n` +
      'def f():\n    q = Queue()\n    p = Process(target=fill, args=(q,))\n    p.start()\n    p.join(timeout=1)\n    p.join()\n    q.get()\n    p.terminate()\n';
    assert.deepEqual(phasesAt(code, 'p.start'), ['created']);
    assert.deepEqual(phasesAt(code, 'p.join(timeout'), ['started']);
    assert.deepEqual(phasesAt(code, 'p.join()'), ['started']);
    assert.deepEqual(phasesAt(code, 'q.get'), ['filling']);
    assert.deepEqual(phasesAt(code, 'p.terminate'), ['joined']);
  });

  it('records what a Process is handed, Pipe ends one by one', () => {
    const code = `${HEADER}def talk(conn):\n    conn.send(1)\ndef f():\n    a, b = Pipe()\n    p = Process(target=talk, args=(b,))\n`;
    const analysis = new ModuleAnalysis(parseSource(code), undefined);
    const [first, second, process] = analysis.lifecycles.objects;
    assert.equal(first.pairIndex, 0);
    assert.equal(second.pairIndex, 1);
    assert.deepEqual(
      [...process.argumentObjects.values()].map((objects) => [...objects].map((object) => object.pairIndex)),
      [[1]],
    );
  });

  it('reports what reaches the normal end, and pools dropped while open', () => {
    const code = `${HEADER}def f(flag):\n    pool = Pool()\n    if flag:\n        return 1\n    pool = None\n    raise ValueError\n`;
    const [exit] = exitOf(code);
    assert.deepEqual(
      exit.facts.map((fact) => `${fact.phase}${fact.escaped ? ' escaped' : ''}`),
      ['running'],
    );
    const escaped = exitOf(`${HEADER}def f():\n    pool = Pool()\n    return pool\n`)[0];
    assert.deepEqual(
      escaped.facts.map((fact) => fact.escaped),
      [true],
    );
  });

  it('treats module globals that functions use as shared', () => {
    const code = `${HEADER}pool = Pool()\ndef stop():\n    pool.close()\nstop()\npool.join()\n`;
    assert.deepEqual(phasesAt(code, 'pool.join'), ['unknown']);
    const unused = `${HEADER}pool = Pool()\ndef stop(pool):\n    pool.close()\nstop(1)\npool.join()\n`;
    assert.deepEqual(phasesAt(unused, 'pool.join'), ['running']);
  });

  it('analyses only bodies that may create something, and nothing for unrelated modules', () => {
    const analysis = new ModuleAnalysis(parseSource('def f():\n    pool = Pool()\n    pool.join()\n'), undefined);
    assert.deepEqual(analysis.lifecycles.observations, []);
    const unresolved = new ModuleAnalysis(parseSource('from somewhere import Pool\nimport multiprocessing\ndef f():\n    Pool().join()\n'), undefined);
    assert.deepEqual(unresolved.lifecycles.objects, []);
  });

  it('stays bounded on pathological bodies', () => {
    const long = `${HEADER}def f(x):\n    pool = Pool()\n${Array.from({ length: 5000 }, (_, i) => `    if x == ${i}:\n        pool.close()\n`).join('')}    pool.join()\n`;
    assert.deepEqual(phasesAt(long, 'pool.join'), ['closed', 'running']);
    const deep = `${HEADER}def f(x):\n    pool = Pool()\n${Array.from({ length: 40 }, (_, i) => `${'    '.repeat(i + 1)}while more():\n`).join('')}${'    '.repeat(41)}pool.close()\n    pool.join()\n`;
    assert.deepEqual(phasesAt(deep, 'pool.join'), ['closed', 'running']);
    const huge = `${HEADER}def f():\n    pool = Pool()\n${Array.from({ length: 70000 }, (_, i) => `    x${i} = ${i}\n`).join('')}    pool.join()\n`;
    const analysis = new ModuleAnalysis(parseSource(huge), undefined);
    assert.deepEqual(analysis.lifecycles.observations, []);
    assert.equal(analysis.lifecycles.skippedBodies.length, 1);
  });

  it('never fails on mutated and truncated code', () => {
    const files = [...filesUnder(CORPUS_DIR, '.py'), ...filesUnder(FIXES_DIR, '.py')].filter((file) =>
      /mp0(02|09|10|12|13|14|20)/.test(file),
    );
    assert.ok(files.length >= 10);
    const tokens = ['(', ')', ':', '\n', '    ', 'try:\n', 'finally:\n', 'with ', ' as ', 'return', 'break', 'else:', '.close()', '.join()', '=', ',', 'lambda', 'yield '];
    const random = new SeededRandom(4242);
    const check = (text: string, label: string): void => {
      const analysis = new ModuleAnalysis(parseSource(text), undefined);
      analysis.lifecycles.observations;
      assert.deepEqual(analysis.lifecycles.internalErrors, [], label);
    };
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (let end = 0; end <= text.length; end += 23) check(text.slice(0, end), `${file} [0, ${end})`);
    }
    for (let i = 0; i < 600; i++) {
      const file = random.pick(files);
      let text = fs.readFileSync(file, 'utf8');
      for (let edits = 1 + random.int(5); edits > 0; edits--) {
        const at = random.int(text.length + 1);
        text = text.slice(0, at) + (random.next() < 0.6 ? random.pick(tokens) : '') + text.slice(at + random.int(12));
      }
      check(text, `mutation ${i} of ${file}`);
    }
  });
});
