// Half-typed code: what the syntax view makes of it must still place statements correctly.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSource, type Statement } from '../../src/parser';

function kinds(statements: readonly Statement[]): string[] {
  return statements.map((statement) => statement.kind);
}

describe('error recovery', () => {
  it('keeps an attribute being typed (`mp.`) and every statement after it', () => {
    const source = parseSource('import multiprocessing as mp\nmp.\nif __name__ == "__main__":\n    p = mp.Process()\n');
    assert.deepEqual(kinds(source.module.body.statements), ['Import', 'Expression', 'If']);
    const typing = source.module.body.statements[1];
    assert.ok(typing.kind === 'Expression' && typing.value.kind === 'Attribute');
    assert.equal(typing.value.name, undefined);
    const guard = source.module.body.statements[2];
    assert.ok(guard.kind === 'If');
    assert.deepEqual(kinds(guard.body.statements), ['Assign']);
    assert.ok(source.errors.length > 0);
  });

  it('recovers after an unclosed parenthesis at the next definition', () => {
    const source = parseSource('x = foo(1, 2\ndef f():\n    pass\np = mp.Pool(2)\n');
    assert.deepEqual(kinds(source.module.body.statements), ['Assign', 'FunctionDef', 'Assign']);
  });

  it('puts the lines indented under an `if` that lost its colon into its body', () => {
    const source = parseSource('if __name__ == "__main__"\n    a = 1\n    if b\n        c()\nd = 2\n');
    const [guard, after] = source.module.body.statements;
    assert.ok(guard.kind === 'If');
    assert.equal(guard.body.recovered, true);
    assert.deepEqual(kinds(guard.body.statements), ['Assign', 'If']);
    const nested = guard.body.statements[1];
    assert.ok(nested.kind === 'If');
    assert.deepEqual(kinds(nested.body.statements), ['Expression']);
    assert.equal(after.kind, 'Assign');
    assert.equal(source.text.slice(guard.from, guard.to), 'if __name__ == "__main__"\n    a = 1\n    if b\n        c()');
  });

  it('does the same for `with`, `else` and `for` headers without a colon', () => {
    const source = parseSource(
      'if x:\n    pass\nelse\n    a()\nwith p as q\n    b()\nfor i in r\n    c()\nd()\n',
    );
    const [ifStatement, withStatement, forStatement, last] = source.module.body.statements;
    assert.ok(ifStatement.kind === 'If' && ifStatement.orElse);
    assert.deepEqual(kinds(ifStatement.orElse.statements), ['Expression']);
    assert.ok(withStatement.kind === 'With');
    assert.deepEqual(kinds(withStatement.body.statements), ['Expression']);
    assert.ok(forStatement.kind === 'For');
    assert.deepEqual(kinds(forStatement.body.statements), ['Expression']);
    assert.equal(last.kind, 'Expression');
  });

  it('marks an indented line under a complete statement as an unexpected indent', () => {
    const source = parseSource('x = 1\n    y = 2\nz = 3\n');
    const statements = source.module.body.statements;
    assert.deepEqual(kinds(statements), ['Assign', 'Error', 'Assign']);
    const stray = statements[1];
    assert.ok(stray.kind === 'Error' && stray.reason === 'unexpected-indent');
    assert.deepEqual(kinds(stray.statements), ['Assign']);
  });

  it('never throws on arbitrary fragments', () => {
    const fragments = ['', '(', ')', ':', 'def', 'class A(', 'lambda', 'if', '"""', "f'{", '@', 'import', 'from . import', '\t\n  \n\t', 'match x:\n case'];
    for (const fragment of fragments) {
      const source = parseSource(fragment);
      assert.ok(Array.isArray(source.module.body.statements), fragment);
    }
  });
});
