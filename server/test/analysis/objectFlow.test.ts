// What names hold (ObjectFlow), how arguments bind to parameters, and which calls hand work to
// other processes (ProcessApiCalls).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindArgument, ModuleAnalysis } from '../../src/analysis';
import { type CallExpression, type Expression, parseSource } from '../../src/parser';

/** The analysis of `code` and its last statement's expression (module scope). */
function lastExpression(code: string): { analysis: ModuleAnalysis; expression: Expression } {
  const analysis = new ModuleAnalysis(parseSource(code), undefined);
  const statements = analysis.source.module.body.statements;
  const last = statements[statements.length - 1];
  assert.ok(last.kind === 'Expression', 'the last statement must be an expression');
  return { analysis, expression: last.value };
}

function held(code: string): string {
  const { analysis, expression } = lastExpression(code);
  const found = analysis.objects.classify(expression, analysis.scopes.moduleScope);
  return found === undefined ? 'unknown' : `${found.kind} ${found.type}`;
}

describe('object flow: what a name holds', () => {
  const cases: [string, string][] = [
    ['import multiprocessing as mp\nq = mp.Queue()\nq', 'sync-primitive Queue'],
    ['from multiprocessing import Lock as L\nlock = L()\nlock', 'sync-primitive Lock'],
    ['import multiprocessing as mp\nctx = mp.get_context("spawn")\nctx.Event()', 'sync-primitive Event'],
    ['from multiprocessing.sharedctypes import RawValue\nRawValue("i", 0)', 'sync-primitive RawValue'],
    ['import multiprocessing as mp\na = mp.Value("i")\nb = a\nb', 'sync-primitive Value'],
    ['import multiprocessing as mp\nqs = [mp.Queue() for _ in range(2)]\nfor q in qs:\n    pass\nq', 'sync-primitive Queue'],
    ['import multiprocessing as mp\nif (q := mp.SimpleQueue()):\n    pass\nq', 'sync-primitive SimpleQueue'],
    ['import threading\nthreading.RLock()', 'thread-object threading.RLock'],
    ['import queue\nqueue.Queue()', 'thread-object queue.Queue'],
    ['f = open("x")\nf', 'file open'],
    ['with open("x") as f:\n    pass\nf', 'file open'],
    ['(x for x in [])', 'generator generator'],
    ['def g():\n    yield 1\ng()', 'generator generator'],
    ['import multiprocessing as mp\nwith mp.Manager() as m:\n    d = m.dict()\nd', 'manager-proxy dict'],
    ['import multiprocessing as mp\nmp.Manager().Queue()', 'manager-proxy Queue'],
    ['import multiprocessing as mp\nwith mp.Pool() as pool:\n    pass\npool', 'pool multiprocessing.pool.Pool'],
    ['from concurrent.futures import ProcessPoolExecutor as E\nE()', 'executor concurrent.futures.ProcessPoolExecutor'],
  ];
  for (const [code, expected] of cases) it(JSON.stringify(code), () => assert.equal(held(code), expected));
});

describe('object flow: unknown is not guessed', () => {
  const cases: string[] = [
    // Bindings that disagree.
    'import multiprocessing as mp\nq = mp.Queue()\nq = None\nq',
    'import multiprocessing as mp\nq = mp.Queue() if x else None\nq',
    // A parameter, an import from elsewhere, a builtin shadowed by the module.
    'def f(q):\n    return q\nf',
    'from helpers import q\nq',
    'def open(path):\n    return path\nopen("x")',
    // A star import from an unknown module may rebind `open`.
    'from helpers import *\nopen("x")',
    // `with lock:` returns True, not the lock.
    'import threading\nwith threading.Lock() as held:\n    pass\nheld',
    // Loops over something whose elements are not all the same kind.
    'import multiprocessing as mp\nfor q in [mp.Queue(), 1]:\n    pass\nq',
    'import multiprocessing as mp\nfor q, i in zip([mp.Queue()], [1]):\n    pass\nq',
    // A decorated generator function may not return a generator.
    'def deco(f):\n    return f\n@deco\ndef g():\n    yield 1\ng()',
  ];
  for (const code of cases) it(JSON.stringify(code), () => assert.equal(held(code), 'unknown'));

  it('stays bounded on self-referencing names', () => {
    assert.equal(held('a = b\nb = a\na'), 'unknown');
    assert.equal(held('a = [a]\na'), 'unknown');
  });
});

describe('object flow: iterables and pickled parts', () => {
  function parts(code: string): string[] {
    const { analysis, expression } = lastExpression(code);
    return analysis.objects
      .pickledParts(expression, analysis.scopes.moduleScope)
      .map((part) => analysis.source.text.slice(part.expression.from, part.expression.to));
  }
  function elements(code: string): string[] | undefined {
    const { analysis, expression } = lastExpression(code);
    const found = analysis.objects.elements(expression, analysis.scopes.moduleScope);
    return found?.elements.map((element) => analysis.source.text.slice(element.expression.from, element.expression.to));
  }

  it('takes tuples, lists, dicts, starred items and partial apart', () => {
    assert.deepEqual(parts('(a, [b, {"k": c}], *[d])'), ['(a, [b, {"k": c}], *[d])', 'a', '[b, {"k": c}]', 'b', '{"k": c}', '"k"', 'c', 'd']);
    assert.deepEqual(parts('import functools\nfunctools.partial(f, x, key=y)'), ['functools.partial(f, x, key=y)', 'f', 'x', 'y']);
  });

  it('follows a name bound once to a display, not one bound twice', () => {
    assert.deepEqual(parts('items = [(q, 1)]\nitems'), ['items', '(q, 1)', 'q', '1']);
    assert.deepEqual(parts('items = [q]\nitems = [1]\nitems'), ['items']);
  });

  it('knows the elements of repetitions, concatenations, zip and itertools.repeat', () => {
    assert.deepEqual(elements('[q] * 3'), ['q']);
    assert.deepEqual(elements('[a] + [b]'), ['a', 'b']);
    assert.deepEqual(elements('zip([a], (b, c))'), ['a', 'b', 'c']);
    assert.deepEqual(elements('import itertools\nitertools.repeat(q, 4)'), ['q']);
    assert.deepEqual(elements('[q for _ in range(4)]'), ['q']);
    assert.equal(elements('unknown_call()'), undefined);
  });
});

describe('binding arguments to parameters', () => {
  function call(code: string): CallExpression {
    const { expression } = lastExpression(code);
    assert.ok(expression.kind === 'Call');
    return expression;
  }
  const parameters = ['group', 'target', 'name', 'args'];

  it('finds keyword and positional arguments', () => {
    const byKeyword = bindArgument(call('P(target=f)'), parameters, 'target');
    assert.ok(byKeyword.kind === 'given' && byKeyword.byKeyword);
    const byPosition = bindArgument(call('P(None, f)'), parameters, 'target');
    assert.ok(byPosition.kind === 'given' && !byPosition.byKeyword);
    assert.equal(bindArgument(call('P(None)'), parameters, 'target').kind, 'absent');
  });

  it('says unknown when *args or **kwargs may bind it', () => {
    assert.equal(bindArgument(call('P(*a)'), parameters, 'target').kind, 'unknown');
    assert.equal(bindArgument(call('P(None, *a)'), parameters, 'args').kind, 'unknown');
    assert.equal(bindArgument(call('P(**k)'), parameters, 'target').kind, 'unknown');
    assert.equal(bindArgument(call('P(*a, target=f)'), parameters, 'target').kind, 'given');
  });
});

describe('process API calls', () => {
  function api(code: string): ModuleAnalysis['processApi'] {
    return new ModuleAnalysis(parseSource(code), undefined).processApi;
  }

  it('finds constructions with their start method and signature', () => {
    const calls = api(
      'import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor\n' +
        'class W(mp.Process):\n    pass\nclass Own(mp.Process):\n    def __init__(self):\n        super().__init__()\n' +
        'mp.Process()\nmp.get_context("spawn").Pool()\nProcessPoolExecutor(mp_context=mp.get_context("forkserver"))\nW()\nOwn()\n',
    );
    assert.deepEqual(
      calls.constructions.map((construction) => `${construction.kind} ${construction.startMethod} ${construction.parameters ? 'std' : 'own'}`),
      ['process default std', 'pool spawn std', 'executor forkserver std', 'process default std', 'process default own'],
    );
  });

  it('finds task submissions on pools and executors only', () => {
    const calls = api(
      'import multiprocessing as mp\nfrom multiprocessing.pool import ThreadPool\nfrom concurrent.futures import ProcessPoolExecutor\n' +
        'class MyPool(mp.pool.Pool):\n    def map(self, f, it):\n        return []\n' +
        'p = mp.Pool()\np.map(f, [])\np.apply_async(f)\nThreadPool().map(f, [])\nProcessPoolExecutor().submit(f)\nMyPool().map(f, [])\nMyPool().imap(f, [])\n',
    );
    assert.deepEqual(
      calls.submissions.map((submission) => `${submission.api}.${submission.method}`),
      ['pool.map', 'pool.apply_async', 'executor.submit', 'pool.imap'],
    );
  });

  it('combines the module\'s set_start_method calls', () => {
    assert.equal(api('import multiprocessing as mp\n').moduleStartMethod, undefined);
    assert.equal(api('import multiprocessing as mp\nmp.set_start_method("spawn")\n').moduleStartMethod, 'spawn');
    assert.equal(api('import multiprocessing as mp\nmp.set_start_method("spawn")\nmp.set_start_method("fork")\n').moduleStartMethod, 'unknown');
    assert.equal(api('import multiprocessing as mp\nmp.set_start_method(m)\n').moduleStartMethod, 'unknown');
  });
});

describe('parameter flow: what a parameter receives at every use of its function', () => {
  /** What `name` holds inside the module function `f`. */
  function heldInF(code: string, name = 'q'): string {
    const analysis = new ModuleAnalysis(parseSource(code), undefined);
    const definition = analysis.source.module.body.statements.find((statement) => statement.kind === 'FunctionDef' && statement.name.name === 'f');
    assert.ok(definition && definition.kind === 'FunctionDef');
    const scope = analysis.scopes.scopeOf(definition);
    assert.ok(scope);
    const found = analysis.objects.classify({ kind: 'Name', name, from: definition.from, to: definition.from }, scope);
    return found === undefined ? 'unknown' : `${found.kind} ${found.type}`;
  }
  const prelude = 'import multiprocessing as mp\ndef f(q, n=0, *rest, k=None):\n    return q\n';

  const known: [string, string][] = [
    ['f(mp.Queue())', 'sync-primitive Queue'],
    ['f(mp.Queue())\nf(q=mp.Queue(), n=1)', 'sync-primitive Queue'],
    ['p = mp.Process(target=f, args=(mp.Lock(), 1))', 'sync-primitive Lock'],
    ['with mp.Pool() as pool:\n    pool.starmap(f, [(mp.Event(), 1)])', 'sync-primitive Event'],
    ['with mp.Pool() as pool:\n    pool.map(f, [mp.Value("i")])', 'sync-primitive Value'],
    ['with mp.Pool() as pool:\n    pool.apply_async(f, (mp.Queue(),)).get()', 'sync-primitive Queue'],
  ];
  for (const [uses, expected] of known) it(JSON.stringify(uses), () => assert.equal(heldInF(prelude + uses), expected));

  const unknown: string[] = [
    'f(mp.Queue())\nf(None)',
    'f(mp.Queue())\ncallbacks = [f]',
    'f(*[mp.Queue()])',
    'import functools\nfunctools.partial(f, mp.Queue())()',
    'p = mp.Process(target=f, args=make_args())',
    '',
  ];
  for (const uses of unknown) it(`unknown: ${JSON.stringify(uses)}`, () => assert.equal(heldInF(prelude + uses), 'unknown'));

  it('uses defaults and keyword-only parameters', () => {
    assert.equal(heldInF('import multiprocessing as mp\ndef f(q=mp.Lock()):\n    return q\nf()'), 'sync-primitive Lock');
    assert.equal(heldInF('import multiprocessing as mp\ndef f(*, q):\n    return q\nf(q=mp.Queue())'), 'sync-primitive Queue');
  });
});
