// mpscope-lint as users run it: the bundled dist/cli.js in a child process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_BUNDLE } from '../support/paths';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], cwd: string): Run {
  const result = spawnSync(process.execPath, [CLI_BUNDLE, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const UNGUARDED = 'import multiprocessing as mp\n\npool = mp.Pool(2)\n';
const GUARDED = 'import multiprocessing as mp\n\nif __name__ == "__main__":\n    pool = mp.Pool(2)\n';

function write(root: string, relative: string, text: string): void {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('mpscope-lint', () => {
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-cli-'));
    write(root, 'clean.py', GUARDED);
    write(root, 'bad.py', UNGUARDED);
    write(root, 'wide.py', 'import multiprocessing as mp\nlabel = "é😀"; pool = mp.Pool()\n');
    write(root, 'suppressed.py', 'import multiprocessing as mp\npool = mp.Pool(2)  # noqa: MP001\n');
    // A project to walk: two real findings, and copies in places that must be skipped.
    write(root, 'project/app.py', UNGUARDED);
    write(root, 'project/pkg/__init__.py', '');
    write(root, 'project/pkg/work.py', UNGUARDED);
    write(root, 'project/pkg/notes.txt', UNGUARDED);
    write(root, 'project/.venv/pyvenv.cfg', 'home = /usr/bin\n');
    write(root, 'project/.venv/lib/site.py', UNGUARDED);
    write(root, 'project/env-custom/pyvenv.cfg', 'home = /usr/bin\n');
    write(root, 'project/env-custom/lib/site.py', UNGUARDED);
    write(root, 'project/node_modules/dep/x.py', UNGUARDED);
    write(root, 'project/.git/hooks/x.py', UNGUARDED);
    write(root, 'project/__pycache__/x.py', UNGUARDED);
    // A relative import resolved through the package layout (multiprocessing's own style).
    write(root, 'vendored/multiprocessing/__init__.py', '');
    write(root, 'vendored/multiprocessing/example.py', 'from .context import Process\nProcess(target=print).start()\n');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exits 0 and prints nothing for a clean file', () => {
    const result = run(['clean.py'], root);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
  });

  it('exits 1 and prints path:line:col: CODE message in text format', () => {
    const result = run(['bad.py'], root);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(
      result.stdout,
      'bad.py:3:8: MP001 missing main guard: `mp.Pool(...)` starts a process pool at import time, outside `if __name__ == "__main__":`\n',
    );
    assert.match(result.stderr, /Found 1 problem in 1 file/);
  });

  it('prints a JSON array with 1-based positions whose columns count characters', () => {
    const result = run(['--format', 'json', 'bad.py', 'wide.py', 'clean.py'], root);
    assert.equal(result.status, 1, result.stderr);
    const findings = JSON.parse(result.stdout) as Record<string, unknown>[];
    assert.deepEqual(findings, [
      {
        path: 'bad.py',
        line: 3,
        column: 8,
        endLine: 3,
        endColumn: 18,
        code: 'MP001',
        severity: 'error',
        message: 'missing main guard: `mp.Pool(...)` starts a process pool at import time, outside `if __name__ == "__main__":`',
      },
      {
        path: 'wide.py',
        line: 2,
        column: 22,
        endLine: 2,
        endColumn: 31,
        code: 'MP001',
        severity: 'error',
        message: 'missing main guard: `mp.Pool()` starts a process pool at import time, outside `if __name__ == "__main__":`',
      },
    ]);
  });

  it('accepts --format=json and prints [] when clean', () => {
    const result = run(['--format=json', 'clean.py', 'suppressed.py'], root);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('walks folders, skipping virtual environments, .git, node_modules and __pycache__', () => {
    const result = run(['project'], root);
    assert.equal(result.status, 1, result.stderr);
    const paths = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(':')[0]);
    assert.deepEqual(paths, [path.join('project', 'app.py'), path.join('project', 'pkg', 'work.py')]);
  });

  it('lints a virtual environment when it is named explicitly', () => {
    const result = run(['project/.venv'], root);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /site\.py:3:8: MP001/);
  });

  it('resolves relative imports from the package layout', () => {
    const result = run(['vendored'], root);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /example\.py:2:1: MP001 missing main guard: `Process\(\.\.\.\)` creates a process/);
  });

  it('runs only the selected rules', () => {
    assert.equal(run(['--ignore', 'MP001', 'bad.py'], root).status, 0);
    assert.equal(run(['--select', 'MP0', 'bad.py'], root).status, 1);
    assert.equal(run(['--select=MP001', '--ignore=MP0', 'bad.py'], root).status, 0);
  });

  it('exits 2 with a clear message on usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['--frobnicate', 'bad.py'], /unknown option '--frobnicate'/],
      [[], /no path given/],
      [['--format', 'xml', 'bad.py'], /unknown format 'xml' for --format; expected one of: text, json/],
      [['bad.py', '--format'], /--format needs a value/],
      [['--select', 'MP999', 'bad.py'], /unknown rule code for --select: MP999/],
      [['--help=yes'], /--help takes no value/],
    ];
    for (const [args, message] of cases) {
      const result = run(args, root);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /mpscope-lint --help/);
      assert.equal(result.stdout, '');
    }
  });

  it('exits 2 for an unreadable path but still reports the readable ones', () => {
    const result = run(['missing.py', 'bad.py'], root);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read 'missing.py': no such file or folder/);
    assert.match(result.stdout, /^bad\.py:3:8: MP001/);
  });

  it('treats arguments after -- as paths', () => {
    const result = run(['--', '--format'], root);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read '--format'/);
  });

  it('prints help and exits 0', () => {
    const result = run(['--help'], root);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: mpscope-lint \[options\] PATH\.\.\./);
    assert.match(result.stdout, /--format text\|json/);
    assert.match(result.stdout, /Exit status: 0 no findings, 1 findings, 2 usage error/);
  });
});
