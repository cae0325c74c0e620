// The TOML reader: hand-written cases for what pyproject.toml files contain and for the error
// positions users see, then a comparison with Python's own tomllib on CPython's TOML test data
// (every valid document must read the same, every invalid one must be refused).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isTomlTable, parseToml, readToml, TomlDateTime, TomlError, type TomlValue } from '../../src/config';
import { filesUnder } from '../support/paths';
import { pyenvPythons } from '../support/pyenv';

function errorOf(text: string): TomlError {
  try {
    parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) return error;
    throw error;
  }
  assert.fail(`expected a TomlError for:\n${text}`);
}

describe('TOML reader', () => {
  it('reads a realistic pyproject.toml', () => {
    const text = [
      '# project metadata',
      '[build-system]',
      'requires = ["setuptools>=61", "wheel"]  # comment after a value',
      'build-backend = "setuptools.build_meta"',
      '',
      '[project]',
      'name = "demo"',
      "version = '1.0'",
      'description = """',
      'A multi-line',
      '  description with "quotes" and a [bracket]',
      '"""',
      'dependencies = [',
      '    "numpy >= 1.20",  # trailing comment',
      '    "rich",',
      ']',
      'authors = [{ name = "A. Person", email = "a@example.com" }]',
      'released = 2024-05-01',
      'timestamp = 1979-05-27T07:32:00-08:00',
      '',
      '[project.optional-dependencies]',
      'test = ["pytest"]',
      '',
      '[tool.black]',
      'line-length = 100',
      "extend-exclude = '''",
      '^/build/',
      "'''",
      '',
      '[[tool.mypy.overrides]]',
      'module = "tests.*"',
      'ignore_errors = true',
      '[[tool.mypy.overrides]]',
      'module = "vendored.*"',
      '',
      '[tool.mpscope]',
      'select = ["MP0"]',
      'severity = { MP001 = "warning" }',
      'ratio = 0.5',
      'hex = 0xdead_beef',
      'big = 1_000',
      'exp = -2e-3',
      'inf = +inf',
      'dotted.key = "x"',
      '"quoted key" = \'literal \\ backslash\'',
      'escaped = "tab\\tnewline\\n\\u00e9\\U0001F600"',
      '',
    ].join('\n');
    const root = parseToml(text);
    const project = root.project as Record<string, TomlValue>;
    assert.equal(project.description, 'A multi-line\n  description with "quotes" and a [bracket]\n');
    assert.deepEqual(project.dependencies, ['numpy >= 1.20', 'rich']);
    assert.deepEqual(project.authors, [{ name: 'A. Person', email: 'a@example.com' }]);
    assert.ok(project.released instanceof TomlDateTime);
    assert.equal(String(project.timestamp), '1979-05-27T07:32:00-08:00');
    const tool = root.tool as Record<string, TomlValue>;
    assert.deepEqual((tool.black as Record<string, TomlValue>)['extend-exclude'], '^/build/\n');
    assert.deepEqual(tool.mypy, { overrides: [{ module: 'tests.*', ignore_errors: true }, { module: 'vendored.*' }] });
    const mpscope = tool.mpscope as Record<string, TomlValue>;
    assert.deepEqual(mpscope.select, ['MP0']);
    assert.deepEqual(mpscope.severity, { MP001: 'warning' });
    assert.equal(mpscope.ratio, 0.5);
    assert.equal(mpscope.hex, 0xdeadbeef);
    assert.equal(mpscope.big, 1000);
    assert.equal(mpscope.exp, -0.002);
    assert.equal(mpscope.inf, Infinity);
    assert.deepEqual(mpscope.dotted, { key: 'x' });
    assert.equal(mpscope['quoted key'], 'literal \\ backslash');
    assert.equal(mpscope.escaped, 'tab\tnewline\n\u00e9\u{1F600}');
  });

  it('accepts CRLF line endings and a file without a final newline', () => {
    assert.deepEqual(parseToml('[a]\r\nb = [\r\n  1,\r\n  2,\r\n]\r\nc = """x\r\ny"""'), { a: { b: [1, 2], c: 'x\ny' } });
  });

  it('says where a value was written', () => {
    const document = readToml('[tool.mpscope]\nselect = ["MP001"]\n\n  severity = { MP001 = "error" }\n');
    const table = (document.root.tool as Record<string, TomlValue>).mpscope;
    assert.ok(isTomlTable(table));
    assert.deepEqual(document.positionOf(table, 'select'), { line: 2, column: 1 });
    assert.deepEqual(document.positionOf(table, 'severity'), { line: 4, column: 3 });
    const severity = table.severity;
    assert.ok(isTomlTable(severity));
    assert.deepEqual(document.positionOf(severity, 'MP001'), { line: 4, column: 16 });
  });

  it('reports errors with their line, column and a readable reason', () => {
    const cases: [string, number, number, RegExp][] = [
      ['[tool.mpscope]\nselect = [MP001]\n', 2, 11, /unexpected 'MP001'; expected a value \(strings must be quoted\)/],
      ['a = 1\nb = "unterminated\n', 2, 5, /unterminated string/],
      ['[tool\n', 1, 6, /expected '\]'/],
      ['a = 1\na = 2\n', 2, 1, /key 'a' is defined more than once/],
      ['[x]\n[x]\n', 2, 1, /table \[x\] is defined more than once/],
      ['a = [1, 2\n', 2, 1, /unterminated array/],
      ['a = { b = 1\n', 1, 12, /inline table must close/],
      ['a = 1 b = 2\n', 1, 7, /expected the end of the line/],
      ['a = "\\q"\n', 1, 6, /invalid escape/],
      ['= 1\n', 1, 1, /unexpected '=' where a key should be/],
      ['a = 1.\n', 1, 5, /expected a value/],
      ['a = 01\n', 1, 5, /expected a value/],
      ['a = """abc\n', 1, 5, /unterminated multi-line string/],
      ['a = {}\na.b = 1\n', 2, 1, /inline table/],
      ['é = 1\n', 1, 1, /where a key should be/],
      ['x = "é" "y"\n', 1, 9, /expected the end of the line/],
    ];
    for (const [text, line, column, reason] of cases) {
      const error = errorOf(text);
      assert.deepEqual([error.line, error.column], [line, column], `${JSON.stringify(text)}: ${error.message}`);
      assert.match(error.reason, reason, JSON.stringify(text));
      assert.match(error.message, new RegExp(`^line ${line}, column ${column}: `));
    }
  });

  it('never throws anything but a TomlError, whatever the text', () => {
    const pieces = ['[', ']', '[[', ']]', '=', '"', "'", '"""', "'''", '\\', '{', '}', ',', '.', '#', '\n', ' ', 'a', '1', 'true', '-', ':', 'é', '\r\n', '\u0000'];
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let j = next(30); j > 0; j--) text += pieces[next(pieces.length)];
      try {
        parseToml(text);
      } catch (error) {
        assert.ok(error instanceof TomlError, `${JSON.stringify(text)} threw ${String(error)}`);
      }
    }
  });

  describe('agrees with Python tomllib on CPython\'s TOML test data', () => {
    const python = pyenvPythons()
      .reverse()
      .find((candidate) => fs.existsSync(path.join(candidate.library, 'test', 'test_tomllib', 'data')));
    if (python === undefined) {
      it('needs a pyenv Python 3.11 or newer with its test suite', { skip: 'no pyenv Python with test_tomllib found' }, () => undefined);
      return;
    }
    const data = path.join(python.library, 'test', 'test_tomllib', 'data');
    const files = filesUnder(data, '.toml');

    it(`${files.length} documents from Python ${python.version}`, () => {
      const expected = readWithTomllib(python.executable, files);
      assert.ok(files.length > 40, `only ${files.length} TOML files under ${data}`);
      const disagreements: string[] = [];
      for (const file of files) {
        const name = path.relative(data, file);
        const reference = expected.get(file)!;
        let ours: unknown;
        let ourError: unknown;
        try {
          ours = tagged(parseToml(fs.readFileSync(file, 'utf8')));
        } catch (error) {
          ourError = error;
        }
        if (ourError !== undefined && !(ourError instanceof TomlError)) disagreements.push(`${name}: threw ${String(ourError)}`);
        else if ('error' in reference && ourError === undefined) disagreements.push(`${name}: tomllib refuses it (${reference.error}), we accepted it`);
        else if ('ok' in reference && ourError !== undefined) disagreements.push(`${name}: tomllib reads it, we refused it: ${(ourError as Error).message}`);
        else if ('ok' in reference && JSON.stringify(ours) !== JSON.stringify(reference.ok)) {
          disagreements.push(`${name}: read differently\n  ours:    ${JSON.stringify(ours)}\n  tomllib: ${JSON.stringify(reference.ok)}`);
        }
      }
      assert.deepEqual(disagreements, []);
    });
  });
});

/** Values in a form both sides can produce: numbers as floats, dates only as "a date". */
function tagged(value: TomlValue): unknown {
  if (value instanceof TomlDateTime) return { datetime: true };
  if (typeof value === 'number') return Number.isNaN(value) ? { number: 'nan' } : Number.isFinite(value) ? { number: value } : { number: value > 0 ? 'inf' : '-inf' };
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(tagged);
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, tagged(value[key])]));
}

const TOMLLIB_DUMP = `
import datetime, json, math, sys, tomllib
def tag(v):
    if isinstance(v, (datetime.date, datetime.time)): return {"datetime": True}
    if isinstance(v, bool) or isinstance(v, str): return v
    if isinstance(v, (int, float)):
        f = float(v)
        if math.isnan(f): return {"number": "nan"}
        if math.isinf(f): return {"number": "inf" if f > 0 else "-inf"}
        return {"number": f}
    if isinstance(v, list): return [tag(x) for x in v]
    return {k: tag(v[k]) for k in sorted(v)}
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            out = {"ok": tag(tomllib.load(f))}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        out = {"error": str(e)}
    print(json.dumps(out))
`;

function readWithTomllib(python: string, files: readonly string[]): Map<string, { ok: unknown } | { error: string }> {
  const result = spawnSync(python, ['-c', TOMLLIB_DUMP, ...files], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, files.length);
  return new Map(files.map((file, index) => [file, JSON.parse(lines[index]) as { ok: unknown } | { error: string }]));
}
