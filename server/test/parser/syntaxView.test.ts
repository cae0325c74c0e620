import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CallExpression,
  type Expression,
  parseSource,
  type Statement,
  type SourceFile,
} from '../../src/parser';

function only(source: SourceFile): Statement {
  assert.equal(source.module.body.statements.length, 1, 'expected exactly one statement');
  return source.module.body.statements[0];
}

function text(source: SourceFile, node: { from: number; to: number }): string {
  return source.text.slice(node.from, node.to);
}

function expressionOf(code: string): { source: SourceFile; expression: Expression } {
  const source = parseSource(code);
  const statement = only(source);
  assert.equal(statement.kind, 'Expression');
  return { source, expression: statement.kind === 'Expression' ? statement.value : assert.fail() };
}

describe('syntax view: imports', () => {
  it('reads dotted names and aliases of `import`', () => {
    const statement = only(parseSource('import multiprocessing as mp, os.path\n'));
    assert.equal(statement.kind, 'Import');
    if (statement.kind !== 'Import') return;
    assert.deepEqual(
      statement.names.map((alias) => [alias.name, alias.asName?.name]),
      [
        ['multiprocessing', 'mp'],
        ['os.path', undefined],
      ],
    );
  });

  it('reads module, relative level and names of `from … import`', () => {
    const source = parseSource('from ..a.b import (c, d as e)\nfrom . import x\nfrom concurrent.futures import *\n');
    const [relative, dotOnly, star] = source.module.body.statements;
    assert.ok(relative.kind === 'ImportFrom' && dotOnly.kind === 'ImportFrom' && star.kind === 'ImportFrom');
    assert.equal(relative.module, 'a.b');
    assert.equal(relative.level, 2);
    assert.deepEqual(
      relative.names !== '*' && relative.names.map((alias) => [alias.name, alias.asName?.name]),
      [
        ['c', undefined],
        ['d', 'e'],
      ],
    );
    assert.equal(dotOnly.module, undefined);
    assert.equal(dotOnly.level, 1);
    assert.equal(star.module, 'concurrent.futures');
    assert.equal(star.level, 0);
    assert.equal(star.names, '*');
  });
});

describe('syntax view: calls and attribute chains', () => {
  it('splits positional, keyword, star and double-star arguments with exact ranges', () => {
    const { source, expression } = expressionOf('mp.get_context("spawn").Process(f, target=g, *rest, **options)\n');
    assert.equal(expression.kind, 'Call');
    const call = expression as CallExpression;
    assert.equal(text(source, call.callee), 'mp.get_context("spawn").Process');
    assert.deepEqual(
      call.args.map((arg) => [arg.kind, text(source, arg)]),
      [
        ['Positional', 'f'],
        ['Keyword', 'target=g'],
        ['Star', '*rest'],
        ['DoubleStar', '**options'],
      ],
    );
    const keyword = call.args[1];
    assert.ok(keyword.kind === 'Keyword');
    assert.equal(keyword.name.name, 'target');
    assert.equal(text(source, call.argList), '(f, target=g, *rest, **options)');
    assert.ok(call.callee.kind === 'Attribute');
    assert.equal(call.callee.name?.name, 'Process');
    const inner = call.callee.object;
    assert.ok(inner.kind === 'Call' && inner.args[0].value.kind === 'String');
    assert.equal(inner.args[0].value.kind === 'String' && inner.args[0].value.value, 'spawn');
  });

  it('keeps parentheses, so `(x)` and `(x,)` differ', () => {
    const source = parseSource('f(args=(x))\nf(args=(x,))\n');
    const values = source.module.body.statements.map((statement) => {
      assert.ok(statement.kind === 'Expression' && statement.value.kind === 'Call');
      return statement.value.args[0].value.kind;
    });
    assert.deepEqual(values, ['Parenthesized', 'Tuple']);
  });

  it('reads a bare generator argument as a comprehension', () => {
    const { expression } = expressionOf('sum(x * 2 for x in xs if x)\n');
    assert.ok(expression.kind === 'Call');
    const argument = expression.args[0].value;
    assert.ok(argument.kind === 'Comprehension');
    assert.equal(argument.form, 'generator');
    assert.deepEqual(
      argument.clauses.map((clause) => clause.kind),
      ['for', 'if'],
    );
  });

  it('reads subscripts and slices', () => {
    const { source, expression } = expressionOf('a[1:2, ::3]\n');
    assert.ok(expression.kind === 'Subscript');
    assert.deepEqual(
      expression.indices.map((index) => [index.kind, text(source, index)]),
      [
        ['Slice', '1:2'],
        ['Slice', '::3'],
      ],
    );
  });
});

describe('syntax view: expressions', () => {
  it('reads lambdas with parameters and defaults', () => {
    const { expression } = expressionOf('lambda a, b=1, *c, **d: a\n');
    assert.ok(expression.kind === 'Lambda');
    assert.deepEqual(
      expression.parameters.map((parameter) => [parameter.kind, parameter.name?.name, parameter.defaultValue?.kind]),
      [
        ['positional', 'a', undefined],
        ['positional', 'b', 'Number'],
        ['varargs', 'c', undefined],
        ['kwargs', 'd', undefined],
      ],
    );
    assert.equal(expression.body.kind, 'Name');
  });

  it('reads every comprehension form', () => {
    const source = parseSource('[a for a in b]\n{a for a in b}\n{a: c for a, c in b}\n(a for a in b)\n');
    const forms = source.module.body.statements.map((statement) => {
      assert.ok(statement.kind === 'Expression' && statement.value.kind === 'Comprehension');
      return [statement.value.form, statement.value.value?.kind];
    });
    assert.deepEqual(forms, [
      ['list', undefined],
      ['set', undefined],
      ['dict', 'Name'],
      ['generator', undefined],
    ]);
  });

  it('normalises multi-word operators', () => {
    const source = parseSource('a not in b\na is not b\nnot a\n');
    const shapes = source.module.body.statements.map((statement) => {
      assert.ok(statement.kind === 'Expression');
      const value = statement.value;
      return value.kind === 'Binary' || value.kind === 'Unary' ? value.operator : value.kind;
    });
    assert.deepEqual(shapes, ['not in', 'is not', 'not']);
  });

  it('decodes string literals and joins implicit concatenation', () => {
    const source = parseSource(`x = "__ma" 'in__'\ny = r"a\\n"\nz = f"{pool.map(f, x)}"\n`);
    const values = source.module.body.statements.map((statement) => {
      assert.ok(statement.kind === 'Assign' && statement.value?.kind === 'String');
      return statement.value.value;
    });
    assert.deepEqual(values, ['__main__', 'a\\n', undefined]);
    const fString = source.module.body.statements[2];
    assert.ok(fString.kind === 'Assign' && fString.value?.kind === 'String');
    assert.equal(fString.value.interpolations[0]?.kind, 'Call');
  });

  it('reads walrus, conditional, await and yield', () => {
    const source = parseSource('async def f():\n    y = (n := 3) if c else await g()\n    yield from h()\n');
    const definition = only(source);
    assert.ok(definition.kind === 'FunctionDef' && definition.isAsync);
    const [assign, yieldStatement] = definition.body.statements;
    assert.ok(assign.kind === 'Assign' && assign.value?.kind === 'Conditional');
    const body = assign.value.body;
    assert.ok(body.kind === 'Parenthesized' && body.inner.kind === 'Named');
    assert.equal(body.inner.target.name, 'n');
    assert.equal(assign.value.orElse.kind, 'Await');
    assert.ok(yieldStatement.kind === 'Expression' && yieldStatement.value.kind === 'Yield');
    assert.equal(yieldStatement.value.isFrom, true);
  });
});

describe('syntax view: statements', () => {
  it('folds elif chains into nested ifs with the else at the end', () => {
    const statement = only(parseSource('if a:\n    x()\nelif b:\n    y()\nelse:\n    z()\n'));
    assert.ok(statement.kind === 'If' && !statement.isElif);
    const elif = statement.orElse?.statements[0];
    assert.ok(elif?.kind === 'If' && elif.isElif);
    assert.equal(elif.test.kind, 'Name');
    assert.equal(elif.orElse?.statements[0]?.kind, 'Expression');
  });

  it('reads with items and their targets', () => {
    const source = parseSource('with Pool(2) as pool, open(p) as f, lock:\n    pass\n');
    const statement = only(source);
    assert.ok(statement.kind === 'With');
    assert.deepEqual(
      statement.items.map((item) => [text(source, item.context), item.target && text(source, item.target)]),
      [
        ['Pool(2)', 'pool'],
        ['open(p)', 'f'],
        ['lock', undefined],
      ],
    );
  });

  it('reads for/while with else and try with every clause', () => {
    const source = parseSource(
      'for i, j in pairs:\n    pass\nelse:\n    done()\nwhile x:\n    pass\nelse:\n    done()\n' +
        'try:\n    a()\nexcept (E, F) as error:\n    b()\nexcept:\n    c()\nelse:\n    d()\nfinally:\n    e()\n',
    );
    const [loop, whileLoop, tryStatement] = source.module.body.statements;
    assert.ok(loop.kind === 'For' && loop.target.kind === 'Tuple' && loop.orElse !== undefined);
    assert.ok(whileLoop.kind === 'While' && whileLoop.orElse !== undefined);
    assert.ok(tryStatement.kind === 'Try');
    assert.deepEqual(
      tryStatement.handlers.map((handler) => [handler.type?.kind, handler.name?.name]),
      [
        ['Tuple', 'error'],
        [undefined, undefined],
      ],
    );
    assert.ok(tryStatement.orElse && tryStatement.finalBody);
  });

  it('reads decorated definitions, parameters, bases and return annotations', () => {
    const source = parseSource(
      '@functools.lru_cache(maxsize=None)\ndef f(a: int, /, b=2, *, c, **kw) -> int:\n    return a\n\n' +
        '@dataclass\nclass W(mp.Process, metaclass=M):\n    x = 1\n',
    );
    const [definition, classDefinition] = source.module.body.statements;
    assert.ok(definition.kind === 'FunctionDef');
    assert.ok(text(source, definition).startsWith('@functools'), 'span starts at the decorator');
    assert.equal(definition.decorators[0].kind, 'Call');
    assert.deepEqual(
      definition.parameters.map((parameter) => parameter.kind),
      ['positional', 'slash', 'positional', 'star', 'positional', 'kwargs'],
    );
    assert.equal(definition.parameters[0].annotation?.kind, 'Name');
    assert.equal(definition.returns?.kind, 'Name');
    assert.ok(classDefinition.kind === 'ClassDef');
    assert.deepEqual(
      classDefinition.bases.map((base) => [base.kind, text(source, base)]),
      [
        ['Positional', 'mp.Process'],
        ['Keyword', 'metaclass=M'],
      ],
    );
  });

  it('reads assignments: chained, unpacking, annotated, augmented', () => {
    const source = parseSource('a = b = f()\nc, *d = g()\ne: int = 3\nf: str\nh += 1\n');
    const [chained, unpacking, annotated, bare, augmented] = source.module.body.statements;
    assert.ok(chained.kind === 'Assign' && chained.targets.length === 2 && chained.value?.kind === 'Call');
    assert.ok(unpacking.kind === 'Assign' && unpacking.targets[0].kind === 'Tuple');
    assert.equal(unpacking.targets[0].kind === 'Tuple' && unpacking.targets[0].elements[1].kind, 'Starred');
    assert.ok(annotated.kind === 'Assign' && annotated.annotation?.kind === 'Name' && annotated.value?.kind === 'Number');
    assert.ok(bare.kind === 'Assign' && bare.value === undefined && bare.annotation !== undefined);
    assert.ok(augmented.kind === 'AugAssign' && augmented.operator === '+=');
  });

  it('splits statement groups and ends spans before the newline', () => {
    const source = parseSource('import os; x = 1  # note\nif a: b()\n');
    const [importStatement, assign, ifStatement] = source.module.body.statements;
    assert.equal(importStatement.kind, 'Import');
    assert.equal(text(source, assign), 'x = 1');
    assert.ok(ifStatement.kind === 'If' && ifStatement.body.inline);
    assert.equal(text(source, ifStatement), 'if a: b()');
    assert.deepEqual(
      source.comments.map((comment) => comment.text),
      ['# note'],
    );
  });

  it('reads global/nonlocal, match captures and type aliases', () => {
    const source = parseSource(
      'def f():\n    global g, h\n    nonlocal n\n' +
        'match p:\n    case Point(x=px, y=_) as whole if px:\n        pass\n    case [first, *rest]:\n        pass\n' +
        'type Alias = list[int]\n',
    );
    const [definition, match, alias] = source.module.body.statements;
    assert.ok(definition.kind === 'FunctionDef');
    const [globals, nonlocals] = definition.body.statements;
    assert.ok(globals.kind === 'Global' && nonlocals.kind === 'Nonlocal');
    assert.deepEqual(
      globals.names.map((name) => name.name),
      ['g', 'h'],
    );
    assert.ok(match.kind === 'Match');
    assert.deepEqual(
      match.cases.map((matchCase) => matchCase.captures.map((capture) => capture.name).sort()),
      [['px', 'whole'], ['first', 'rest']],
    );
    assert.equal(match.cases[0].guard?.kind, 'Name');
    assert.ok(alias.kind === 'TypeAlias' && alias.name.name === 'Alias');
  });

  it('reports no errors for valid code and the positions of recovered errors otherwise', () => {
    assert.deepEqual(parseSource('x = [1, 2]\n').errors, []);
    const broken = parseSource('x = foo(1, 2\ny = 3\n');
    assert.ok(broken.errors.length > 0);
    assert.ok(broken.hasErrorWithin({ from: 0, to: 14 }));
  });
});
