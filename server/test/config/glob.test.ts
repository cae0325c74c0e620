import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GlobPattern } from '../../src/config';
import { globProblem } from '../../src/config/glob';

function matches(pattern: string, paths: readonly string[]): string[] {
  const glob = new GlobPattern(pattern);
  return paths.filter((candidate) => glob.matches(candidate));
}

const PATHS = [
  'app.py',
  'build/gen.py',
  'src/build/inner.py',
  'src/pkg/mod.py',
  'src/pkg/mod_pb2.py',
  'tests/test_a.py',
  'tests/unit/test_b.py',
  'tests/data/x.txt',
  'docs/conf.py',
];

describe('glob patterns', () => {
  it('matches a name without a slash at any depth, and everything inside a matched folder', () => {
    assert.deepEqual(matches('build', PATHS), ['build/gen.py', 'src/build/inner.py']);
    assert.deepEqual(matches('*_pb2.py', PATHS), ['src/pkg/mod_pb2.py']);
    assert.deepEqual(matches('test_?.py', PATHS), ['tests/test_a.py', 'tests/unit/test_b.py']);
  });

  it('anchors a pattern with a slash at the config folder', () => {
    assert.deepEqual(matches('tests/*.py', PATHS), ['tests/test_a.py']);
    assert.deepEqual(matches('tests/**/*.py', PATHS), ['tests/test_a.py', 'tests/unit/test_b.py']);
    assert.deepEqual(matches('tests/**', PATHS), ['tests/test_a.py', 'tests/unit/test_b.py', 'tests/data/x.txt']);
    assert.deepEqual(matches('**/pkg/*.py', PATHS), ['src/pkg/mod.py', 'src/pkg/mod_pb2.py']);
    assert.deepEqual(matches('/app.py', PATHS), ['app.py']);
    assert.deepEqual(matches('./docs/', PATHS), ['docs/conf.py']);
    assert.deepEqual(matches('src/build', PATHS), ['src/build/inner.py']);
  });

  it('supports character sets and alternatives', () => {
    assert.deepEqual(matches('tests/test_[ab].py', PATHS), ['tests/test_a.py']);
    assert.deepEqual(matches('tests/test_[!a].py', PATHS), []);
    assert.deepEqual(matches('{docs,build}', PATHS), ['build/gen.py', 'src/build/inner.py', 'docs/conf.py']);
    assert.deepEqual(matches('*.{txt,cfg}', PATHS), ['tests/data/x.txt']);
  });

  it('treats regular-expression characters literally and never matches outside the folder', () => {
    assert.deepEqual(matches('a+b(1).py', ['a+b(1).py', 'aab1.py']), ['a+b(1).py']);
    assert.deepEqual(matches('*.py', ['../outside.py', '..']), []);
    assert.ok(new GlobPattern('tests\\*.py').matches('tests/test_a.py'), 'backslashes are separators');
  });

  it('explains malformed patterns', () => {
    assert.equal(globProblem('tests/**'), undefined);
    assert.match(globProblem('[abc') ?? '', /no closing '\]'/);
    assert.match(globProblem('{a,b') ?? '', /no closing '\}'/);
    assert.match(globProblem('a}') ?? '', /no opening/);
    assert.match(globProblem('  ') ?? '', /empty/);
  });
});
