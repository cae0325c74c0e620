// [tool.mpscope] in pyproject.toml: reading, checking, finding the nearest one, and combining it
// with CLI flags or editor settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, effectiveLintOptions, GlobPattern, isExcluded, parseProjectConfig, type ProjectConfig, ProjectConfigFinder } from '../../src/config';
import { lint } from '../../src/engine';

const FILE = '/project/pyproject.toml';

function configError(text: string): ConfigError {
  try {
    parseProjectConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail(`expected a ConfigError for:\n${text}`);
}

describe('[tool.mpscope] configuration', () => {
  it('reads every key', () => {
    const config = parseProjectConfig(
      [
        '[project]',
        'name = "x"',
        '[tool.mpscope]',
        'select = ["mp0"]',
        'ignore = ["MP001"]',
        'exclude = ["build", "legacy/*.py"]',
        'severity = { MP001 = "warning", mp001 = "off" }',
        '[tool.mpscope.per-file-ignores]',
        '"tests/**" = ["MP001"]',
      ].join('\n'),
      FILE,
    );
    assert.ok(config);
    assert.equal(config.folder, '/project');
    assert.deepEqual(config.select, ['MP0']);
    assert.deepEqual(config.ignore, ['MP001']);
    assert.deepEqual(config.severity, { MP001: 'off' });
    assert.deepEqual(
      config.exclude.map((glob) => glob.source),
      ['build', 'legacy/*.py'],
    );
    assert.deepEqual(
      config.perFileIgnores.map((entry) => [entry.pattern.source, entry.codes]),
      [['tests/**', ['MP001']]],
    );
  });

  it('has nothing to say without a [tool.mpscope] table', () => {
    assert.equal(parseProjectConfig('[project]\nname = "x"\n[tool.black]\nline-length = 99\n', FILE), undefined);
    assert.equal(parseProjectConfig('', FILE), undefined);
    const empty = parseProjectConfig('[tool.mpscope]\n', FILE);
    assert.deepEqual([empty?.select, empty?.ignore, empty?.severity, empty?.exclude], [undefined, undefined, {}, []]);
  });

  it('names the file, line and column of every problem', () => {
    const cases: [string, string][] = [
      ['[tool.mpscope]\nselect = "MP001"\n', '/project/pyproject.toml:2:1: select must be a list of rule codes'],
      ['[tool.mpscope]\nselect = ["MP999"]\n', '/project/pyproject.toml:2:1: unknown rule code in select: MP999'],
      ['[tool.mpscope]\nignore = ["MP001", "XY", "Q1"]\n', '/project/pyproject.toml:2:1: unknown rule codes in ignore: XY, Q1'],
      ['[tool.mpscope]\nseverity = { MP001 = "fatal" }\n', '/project/pyproject.toml:2:14: severity of MP001 must be one of: "error", "warning", "information", "hint", "off"'],
      ['[tool.mpscope]\nseverity = { MP999 = "error" }\n', "/project/pyproject.toml:2:14: unknown rule code 'MP999' in severity"],
      ['[tool.mpscope]\nseverity = "error"\n', '/project/pyproject.toml:2:1: severity must be a table'],
      ['[tool.mpscope]\nexclude = ["[abc"]\n', "/project/pyproject.toml:2:1: bad pattern '[abc' in exclude"],
      ['[tool.mpscope]\nselcet = ["MP001"]\n', "/project/pyproject.toml:2:1: unknown key 'selcet' in [tool.mpscope]; expected one of: select, ignore, exclude, severity, per-file-ignores"],
      ['[tool.mpscope.per-file-ignores]\n"tests/*" = "MP001"\n', '/project/pyproject.toml:2:1: per-file-ignores "tests/*" must be a list of rule codes'],
      ['[tool]\nmpscope = 1\n', '/project/pyproject.toml:2:1: [tool.mpscope] must be a table'],
      ['[tool.mpscope]\nselect = [MP001]\n', "/project/pyproject.toml:2:11: invalid TOML: unexpected 'MP001'; expected a value (strings must be quoted)"],
    ];
    for (const [text, message] of cases) assert.ok(configError(text).message.startsWith(message), `${configError(text).message}\n  expected: ${message}`);
  });

  it('combines with overrides: higher levels replace select/ignore and merge severity code by code', () => {
    // Built by hand: effectiveLintOptions does not check codes, and these need not be registered.
    const config: ProjectConfig = {
      file: FILE,
      folder: '/project',
      select: ['MP0'],
      ignore: ['MP002'],
      severity: { MP001: 'warning', MP003: 'off' },
      exclude: [],
      perFileIgnores: [{ pattern: new GlobPattern('tests/*.py'), codes: ['MP004'] }],
    };
    assert.deepEqual(effectiveLintOptions(undefined, undefined), { select: [], ignore: [], severity: {} });
    assert.deepEqual(effectiveLintOptions(config, '/project/app.py'), { select: ['MP0'], ignore: ['MP002', 'MP003'], severity: { MP001: 'warning' } });
    assert.deepEqual(effectiveLintOptions(config, '/project/tests/test_x.py'), {
      select: ['MP0'],
      ignore: ['MP002', 'MP004', 'MP003'],
      severity: { MP001: 'warning' },
    });
    assert.deepEqual(
      effectiveLintOptions(config, '/project/app.py', { select: ['MP001'], ignore: [], severity: { mp001: 'hint', MP003: 'error' } }),
      { select: ['MP001'], ignore: [], severity: { MP001: 'hint', MP003: 'error' } },
      'a fresh selection drops the file\'s ignore list',
    );
    assert.deepEqual(effectiveLintOptions(config, '/project/app.py', { select: ['MP0'], ignore: ['MP005'] }).ignore, ['MP005', 'MP003']);
    assert.deepEqual(effectiveLintOptions(config, '/project/app.py', { ignore: ['MP001'] }).ignore, ['MP001', 'MP003']);
  });

  it('changes what lint reports', () => {
    const config = parseProjectConfig('[tool.mpscope]\nseverity = { MP001 = "warning" }\n', FILE);
    const code = 'import multiprocessing as mp\nmp.Pool()\n';
    assert.equal(lint(code, effectiveLintOptions(config, '/project/a.py'))[0].severity, 'warning');
    const off = parseProjectConfig('[tool.mpscope]\nseverity = { MP001 = "off" }\n', FILE);
    assert.deepEqual(lint(code, effectiveLintOptions(off, '/project/a.py')), []);
  });

  it('excludes files and folders relative to the config folder', () => {
    const config = parseProjectConfig('[tool.mpscope]\nexclude = ["build", "legacy/*.py"]\n', FILE);
    assert.equal(isExcluded(config, '/project/build'), true);
    assert.equal(isExcluded(config, '/project/src/build/x.py'), true);
    assert.equal(isExcluded(config, '/project/legacy/old.py'), true);
    assert.equal(isExcluded(config, '/project/src/legacy/old.py'), false);
    assert.equal(isExcluded(config, '/project/app.py'), false);
    assert.equal(isExcluded(config, '/elsewhere/build/x.py'), false);
    assert.equal(isExcluded(undefined, '/project/build'), false);
  });
});

describe('finding the nearest configuration', () => {
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-config-'));
    const write = (relative: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), text);
    };
    write('pyproject.toml', '[tool.mpscope]\nignore = ["MP001"]\n');
    write('pkg/pyproject.toml', '[project]\nname = "pkg"\n'); // no [tool.mpscope]: passed over
    write('pkg/sub/mod.py', '');
    write('other/pyproject.toml', '[tool.mpscope]\nselect = ["MP001"]\n');
    write('other/deep/er/mod.py', '');
    write('broken/pyproject.toml', '[tool.mpscope\n');
    write('broken/mod.py', '');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('walks up to the nearest pyproject.toml with [tool.mpscope]', () => {
    const finder = new ProjectConfigFinder();
    assert.equal(finder.find(path.join(root, 'pkg', 'sub', 'mod.py'))?.file, path.join(root, 'pyproject.toml'));
    assert.equal(finder.find(path.join(root, 'other', 'deep', 'er', 'mod.py'))?.file, path.join(root, 'other', 'pyproject.toml'));
    assert.equal(finder.find(path.join(root, 'other'), true)?.file, path.join(root, 'other', 'pyproject.toml'));
    assert.equal(finder.find(path.join(root, 'new.py'))?.file, path.join(root, 'pyproject.toml'));
  });

  it('throws the broken file\'s error with its position, and reads a named file', () => {
    const finder = new ProjectConfigFinder();
    assert.throws(
      () => finder.find(path.join(root, 'broken', 'mod.py')),
      (error: unknown) => error instanceof ConfigError && error.line === 1 && error.file === path.join(root, 'broken', 'pyproject.toml'),
    );
    assert.deepEqual(finder.read(path.join(root, 'other', 'pyproject.toml')).select, ['MP001']);
    assert.throws(() => finder.read(path.join(root, 'pkg', 'pyproject.toml')), /has no \[tool\.mpscope\] table/);
    assert.throws(() => finder.read(path.join(root, 'missing.toml')), /cannot read the file/);
  });

  it('sees changes after clear()', () => {
    const finder = new ProjectConfigFinder();
    const file = path.join(root, 'other', 'deep', 'er', 'mod.py');
    assert.deepEqual(finder.find(file)?.select, ['MP001']);
    fs.writeFileSync(path.join(root, 'other', 'deep', 'pyproject.toml'), '[tool.mpscope]\nselect = ["MP0"]\n');
    assert.deepEqual(finder.find(file)?.select, ['MP001'], 'cached until cleared');
    finder.clear();
    assert.deepEqual(finder.find(file)?.select, ['MP0']);
  });
});
