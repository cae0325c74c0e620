import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ModuleIdentity, ModuleAnalysis, type Value } from '../../src/analysis';
import { type Expression, parseSource, type Statement } from '../../src/parser';

/** Resolves the value of the last statement (an expression statement) of `code`, in module scope. */
function resolveLast(code: string, identity?: ModuleIdentity): Value | undefined {
  const analysis = new ModuleAnalysis(parseSource(code), identity);
  const statements = analysis.source.module.body.statements;
  const last = statements[statements.length - 1];
  assert.ok(last.kind === 'Expression', 'the last statement must be an expression');
  return analysis.resolver.resolve(last.value, analysis.scopes.moduleScope);
}

function describeValue(value: Value | undefined): string {
  if (value === undefined) return 'unknown';
  switch (value.kind) {
    case 'qualified':
      return value.startMethod ? `${value.name} [${value.startMethod}]` : value.name;
    case 'context':
      return `context [${value.startMethod}]`;
    case 'function':
    case 'class':
      return `${value.kind} ${value.definition.name.name}`;
    case 'instance':
      return `instance of ${describeValue(value.of)} [${value.startMethod}]`;
    case 'method':
      return `method ${value.definition.name.name}`;
  }
}

describe('name resolution: import forms', () => {
  const cases: [string, string][] = [
    ['import multiprocessing\nmultiprocessing.Process', 'multiprocessing.Process'],
    ['import multiprocessing as mp\nmp.Pool', 'multiprocessing.Pool'],
    ['import multiprocessing.pool\nmultiprocessing.pool.Pool', 'multiprocessing.pool.Pool'],
    ['import multiprocessing.pool as mpp\nmpp.Pool', 'multiprocessing.pool.Pool'],
    ['from multiprocessing import Pool as P\nP', 'multiprocessing.Pool'],
    ['from multiprocessing.context import Process\nProcess', 'multiprocessing.Process'],
    ['from concurrent import futures\nfutures.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
    ['import concurrent.futures.process\nconcurrent.futures.process.ProcessPoolExecutor', 'concurrent.futures.ProcessPoolExecutor'],
    ['from multiprocessing import *\nManager', 'multiprocessing.Manager'],
    // Known by name only: nothing in the catalog says what it does, so it starts nothing.
    ['from mylib import Pool\nPool', 'mylib.Pool'],
    ['import multiprocessing as mp\nmp.get_context("spawn")', 'context [spawn]'],
    ['import multiprocessing as mp\nmp.get_context()', 'context [default]'],
    ['import multiprocessing as mp\nmp.get_context(method)', 'context [unknown]'],
    ['import multiprocessing as mp\nmp.get_context("forkserver").Process', 'multiprocessing.Process [forkserver]'],
    ['import multiprocessing as mp\nctx = mp.get_context("spawn")\nctx.Pool', 'multiprocessing.Pool [spawn]'],
    ['import multiprocessing as mp\nmp.Pool(2)', 'instance of multiprocessing.pool.Pool [default]'],
    [
      'from concurrent.futures import ProcessPoolExecutor\nimport multiprocessing as mp\nProcessPoolExecutor(mp_context=mp.get_context("spawn"))',
      'instance of concurrent.futures.ProcessPoolExecutor [spawn]',
    ],
    ['import multiprocessing as mp\nwith mp.Pool() as pool:\n    pass\npool', 'instance of multiprocessing.pool.Pool [default]'],
  ];
  for (const [code, expected] of cases) {
    it(`${code.split('\n').pop()} → ${expected}`, () => assert.equal(describeValue(resolveLast(code)), expected));
  }
});

describe('name resolution: module definitions and scopes', () => {
  it('resolves functions, classes, instances and bound methods of this module', () => {
    const code = 'class App:\n    def run(self):\n        pass\n\ndef main():\n    pass\n\napp = App()\n';
    assert.equal(describeValue(resolveLast(`${code}main`)), 'function main');
    assert.equal(describeValue(resolveLast(`${code}App`)), 'class App');
    assert.equal(describeValue(resolveLast(`${code}app.run`)), 'method run');
    assert.equal(describeValue(resolveLast(`${code}App().run`)), 'method run');
  });

  it('finds methods inherited from classes of this module only', () => {
    const code = 'import threading\nclass Base:\n    def go(self):\n        pass\nclass Child(Base):\n    pass\nclass Other(threading.Thread):\n    pass\n';
    assert.equal(describeValue(resolveLast(`${code}Child().go`)), 'method go');
    assert.equal(describeValue(resolveLast(`${code}Other().go`)), 'unknown');
  });

  it('resolves names inside functions through local imports, parameters and `global`', () => {
    const code =
      'import multiprocessing as mp\n' +
      'def f(mp_param):\n    import multiprocessing as local\n    global late\n    late = local.Pool\n    a = local.Process\n    b = mp_param\n    c = mp.Manager\n';
    const analysis = new ModuleAnalysis(parseSource(code), undefined);
    const definition = analysis.source.module.body.statements[1];
    assert.ok(definition.kind === 'FunctionDef');
    const scope = analysis.scopes.scopeOf(definition)!;
    const valueOf = (name: string): string => describeValue(analysis.resolver.resolveName(name, scope));
    assert.equal(valueOf('a'), 'multiprocessing.Process');
    assert.equal(valueOf('b'), 'unknown');
    assert.equal(valueOf('c'), 'multiprocessing.Manager');
    assert.equal(describeValue(analysis.resolver.resolveName('late', analysis.scopes.moduleScope)), 'multiprocessing.Pool');
  });

  it('does not let methods see class-level names', () => {
    const code = 'import multiprocessing as mp\nclass C:\n    Pool = mp.Pool\n    def m(self):\n        return Pool\n';
    const analysis = new ModuleAnalysis(parseSource(code), undefined);
    const classDefinition = analysis.source.module.body.statements[1];
    assert.ok(classDefinition.kind === 'ClassDef');
    const method = classDefinition.body.statements[1];
    assert.ok(method.kind === 'FunctionDef');
    const classScope = analysis.scopes.scopeOf(classDefinition)!;
    const methodScope = analysis.scopes.scopeOf(method)!;
    assert.equal(describeValue(analysis.resolver.resolveName('Pool', classScope)), 'multiprocessing.Pool');
    assert.equal(describeValue(analysis.resolver.resolveName('Pool', methodScope)), 'unknown');
  });

  it('resolves relative imports when the module knows its package', () => {
    const code = 'from .context import Process\nProcess';
    assert.equal(describeValue(resolveLast(code)), 'unknown');
    assert.equal(describeValue(resolveLast(code, { name: 'multiprocessing.pool', isPackage: false })), 'multiprocessing.Process');
    assert.equal(describeValue(resolveLast('from . import pool\npool.Pool', { name: 'multiprocessing', isPackage: true })), 'multiprocessing.pool.Pool');
    assert.equal(describeValue(resolveLast('from ... import x\nx', { name: 'a.b', isPackage: false })), 'unknown');
  });
});

describe('name resolution: never a guess', () => {
  const unknown: [string, string][] = [
    ['a builtin or undefined name', 'Pool'],
    ['an attribute of an unknown call result', 'import multiprocessing as mp\nmp.current_process().Pool'],
    ['a name bound to different things', 'import multiprocessing as mp\nif x:\n    mp = other\nmp.Pool'],
    ['an alternative import', 'try:\n    import multiprocessing as mp\nexcept ImportError:\n    import multiprocessing.dummy as mp\nmp.Pool'],
    ['a decorated function', 'import functools\n@functools.cache\ndef f():\n    pass\nf'],
    ['a star import from an unknown module', 'from helpers import *\nPool'],
    ['a name a later star import may replace', 'from multiprocessing import Pool\nfrom helpers import *\nPool'],
    ['a loop variable', 'import multiprocessing as mp\nfor mp in things:\n    pass\nmp.Pool'],
    ['a deleted name', 'import multiprocessing as mp\ndel mp\nmp.Pool'],
    ['a self-referencing assignment', 'x = x.y\nx'],
    ['a with target of an unknown context manager', 'with open(p) as f:\n    pass\nf'],
  ];
  for (const [label, code] of unknown) {
    it(label, () => assert.equal(describeValue(resolveLast(code)), 'unknown'));
  }

  it('keeps a binding made before a star import that cannot rebind it', () => {
    assert.equal(
      describeValue(resolveLast('from multiprocessing import *\nimport multiprocessing as mp\nmp.Pool')),
      'multiprocessing.Pool',
    );
  });
});

// The scope tree is exercised above through resolution; one direct check of comprehension scopes:
describe('scopes', () => {
  it('binds comprehension variables in the comprehension and walrus targets outside it', () => {
    const analysis = new ModuleAnalysis(parseSource('xs = [y for y in range(3) if (z := y)]\n'), undefined);
    const moduleScope = analysis.scopes.moduleScope;
    assert.equal(moduleScope.bindings.has('y'), false);
    assert.equal(moduleScope.bindings.has('z'), true);
    const statement: Statement = analysis.source.module.body.statements[0];
    assert.ok(statement.kind === 'Assign');
    const comprehension = statement.value as Expression;
    assert.ok(comprehension.kind === 'Comprehension');
    assert.equal(analysis.scopes.scopeOf(comprehension)?.bindings.has('y'), true);
  });
});
