// mpscope-lint with [tool.mpscope] in pyproject.toml: discovery, precedence of flags over the
// file, exclude and per-file-ignores, and clear errors for a broken file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_RULES } from '../../src/rules/registry';
import { runCliBundle, writeFile } from '../support/cliRun';

const UNGUARDED = 'import multiprocessing as mp\n\npool = mp.Pool(2)\n';

function findingPaths(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(':')[0]);
}

describe('mpscope-lint configuration', () => {
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-cli-config-'));
    // A project with its own settings.
    writeFile(
      root,
      'project/pyproject.toml',
      [
        '[project]',
        'name = "demo"',
        '',
        '[tool.mpscope]',
        'exclude = ["generated", "legacy/*.py"]',
        'severity = { MP001 = "warning" }',
        '',
        '[tool.mpscope.per-file-ignores]',
        '"scripts/**" = ["MP001"]',
        '',
      ].join('\n'),
    );
    writeFile(root, 'project/app.py', UNGUARDED);
    writeFile(root, 'project/generated/gen.py', UNGUARDED);
    writeFile(root, 'project/src/generated/deep.py', UNGUARDED);
    writeFile(root, 'project/legacy/old.py', UNGUARDED);
    writeFile(root, 'project/legacy/sub/kept.py', UNGUARDED);
    writeFile(root, 'project/scripts/tool.py', UNGUARDED);
    // A sub-package whose pyproject.toml has no [tool.mpscope]: the project's settings apply.
    writeFile(root, 'project/pkg/pyproject.toml', '[project]\nname = "pkg"\n');
    writeFile(root, 'project/pkg/mod.py', UNGUARDED);
    // A project that turns the rule off.
    writeFile(root, 'quiet/pyproject.toml', '[tool.mpscope]\nignore = ["MP001"]\n');
    writeFile(root, 'quiet/q.py', UNGUARDED);
    // Broken configurations.
    writeFile(root, 'broken/pyproject.toml', '[tool.mpscope]\nselect = [MP001]\n');
    writeFile(root, 'broken/b.py', UNGUARDED);
    writeFile(root, 'badvalue/pyproject.toml', '[tool.mpscope]\n\nseverity = { MP001 = "loud" }\n');
    writeFile(root, 'badvalue/v.py', UNGUARDED);
    writeFile(root, 'alt.toml', '[tool.mpscope]\nseverity = { MP001 = "hint" }\n');
    // A conda environment inside the project (no pyvenv.cfg, a conda-meta folder): skipped.
    writeFile(root, 'project/condaenv/conda-meta/history', '');
    writeFile(root, 'project/condaenv/lib/site.py', UNGUARDED);
    writeFile(root, 'plain.toml', '[tool.other]\nx = 1\n');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('applies the nearest [tool.mpscope]: severity, exclude, per-file-ignores', () => {
    const result = runCliBundle(['--format', 'json', 'project'], root);
    assert.equal(result.status, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as { path: string; severity: string }[];
    assert.deepEqual(
      findings.map((finding) => [finding.path, finding.severity]),
      [
        [path.join('project', 'app.py'), 'warning'],
        [path.join('project', 'legacy', 'sub', 'kept.py'), 'warning'],
        [path.join('project', 'pkg', 'mod.py'), 'warning'],
      ],
    );
  });

  it('lints an excluded file when it is named explicitly', () => {
    const result = runCliBundle(['project/generated/gen.py'], root);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(findingPaths(result.stdout), ['project/generated/gen.py']);
  });

  it('finds the configuration from the working folder too', () => {
    const result = runCliBundle(['.'], path.join(root, 'project'));
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(findingPaths(result.stdout), ['app.py', path.join('legacy', 'sub', 'kept.py'), path.join('pkg', 'mod.py')]);
  });

  it('lets --select/--ignore replace the file\'s lists', () => {
    assert.equal(runCliBundle(['quiet'], root).status, 0);
    const selected = runCliBundle(['--select', 'MP001', 'quiet'], root);
    assert.equal(selected.status, 1, selected.stderr);
    assert.deepEqual(findingPaths(selected.stdout), [path.join('quiet', 'q.py')]);
    assert.equal(runCliBundle(['--ignore', 'MP001', 'project/app.py'], root).status, 0);
  });

  it('uses --config FILE for every path instead of searching', () => {
    const result = runCliBundle(['--config', 'alt.toml', '--format', 'json', 'quiet', 'project/app.py'], root);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(
      (JSON.parse(result.stdout) as { path: string; severity: string }[]).map((finding) => [finding.path, finding.severity]),
      [
        [path.join('quiet', 'q.py'), 'hint'],
        ['project/app.py', 'hint'],
      ],
    );
  });

  it('exits 2 naming the file, line and column of a broken pyproject.toml, and still lints the rest', () => {
    const result = runCliBundle(['broken', 'project/app.py'], root);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      new RegExp(`^mpscope-lint: invalid configuration: ${escape(path.join('broken', 'pyproject.toml'))}:2:11: invalid TOML: unexpected 'MP001'; expected a value \\(strings must be quoted\\)$`, 'm'),
    );
    assert.deepEqual(findingPaths(result.stdout), ['project/app.py'], 'files governed by the broken file are not linted');
    const badValue = runCliBundle(['badvalue'], root);
    assert.equal(badValue.status, 2);
    assert.match(badValue.stderr, /badvalue\/pyproject\.toml:3:14: severity of MP001 must be one of: "error", "warning", "information", "hint", "off"/);
    assert.equal(badValue.stdout, '');
  });

  it('exits 2 for a --config file that is missing, broken or has no [tool.mpscope]', () => {
    const cases: [string, RegExp][] = [
      ['missing.toml', /invalid configuration: missing\.toml: cannot read the file/],
      ['broken/pyproject.toml', /invalid configuration: broken\/pyproject\.toml:2:11: invalid TOML/],
      ['plain.toml', /invalid configuration: plain\.toml: has no \[tool\.mpscope\] table/],
    ];
    for (const [file, message] of cases) {
      const result = runCliBundle(['--config', file, 'quiet'], root);
      assert.equal(result.status, 2, file);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    assert.match(runCliBundle(['--config'], root).stderr, /--config needs a value/);
  });

  it('lists every registered rule in --help, with its default severity', () => {
    const result = runCliBundle(['--help'], root);
    assert.equal(result.status, 0);
    for (const rule of ALL_RULES) {
      assert.match(result.stdout, new RegExp(`^  ${rule.meta.code} ${rule.meta.name} +${rule.meta.defaultSeverity} `, 'm'));
    }
    assert.match(result.stdout, /--format text\|json\|github\|sarif/);
    assert.match(result.stdout, /--config FILE/);
  });

  it('prints its version', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    const result = runCliBundle(['--version'], root);
    assert.deepEqual([result.status, result.stdout], [0, `mpscope-lint ${manifest.version}\n`]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
