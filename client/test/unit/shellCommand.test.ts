// Quoting the run command for the terminal's shell. POSIX quoting is checked by running the
// quoted line through the real shells on this machine and reading back the argv a program got.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commandLine, quoteArgument, shellKindFor } from '../../src/commands/shellCommand';
import { launcherArgv, runEnvironment } from '../../src/commands/runPlan';

const awkward = [
  'plain',
  'with space',
  "it's",
  'say "hi"',
  '$HOME',
  '`date`',
  '$(date)',
  'a;b&c|d',
  '*.py',
  '?',
  '~',
  '~/x',
  '!event',
  '#not-a-comment',
  'back\\slash',
  'tab\there',
  'new\nline',
  'ünïcödé ✓',
  '',
  '--',
  '-m',
  '=cmd',
  '^caret',
  '{a,b}',
  '[x]',
  'C:\\Program Files\\Python\\python.exe',
];

function availableShells(): string[] {
  return ['/bin/sh', '/bin/bash', '/usr/bin/dash', '/bin/zsh', '/usr/bin/zsh'].filter((shell) => fs.existsSync(shell));
}

describe('POSIX quoting through real shells', () => {
  let dir: string;
  let printArgv: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-quote-'));
    printArgv = path.join(dir, "print argv's.js");
    fs.writeFileSync(printArgv, 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const shell of availableShells()) {
    it(`${shell} passes every argument through unchanged`, () => {
      const line = commandLine([process.execPath, printArgv, ...awkward], 'posix');
      const output = execFileSync(shell, ['-c', line], { encoding: 'utf8', env: { ...process.env, HOME: '/nowhere' } });
      assert.deepEqual(JSON.parse(output), awkward);
    });
  }

  it('leaves ordinary arguments readable', () => {
    assert.equal(
      commandLine(launcherArgv(['/usr/bin/python3'], '/home/me/proj/main.py'), 'posix'),
      '/usr/bin/python3 -m mpscope run --no-summary -- /home/me/proj/main.py',
    );
    assert.equal(
      commandLine(launcherArgv(['/usr/bin/python3'], "/home/me/my proj/it's.py"), 'posix'),
      "/usr/bin/python3 -m mpscope run --no-summary -- '/home/me/my proj/it'\\''s.py'",
    );
  });
});

describe('quoting for other shells', () => {
  it('fish: escapes backslashes and quotes inside single quotes', () => {
    assert.equal(quoteArgument("it's \\ here", 'fish'), "'it\\'s \\\\ here'");
    assert.equal(quoteArgument('plain', 'fish'), 'plain');
  });

  it('PowerShell: doubles single quotes (also typographic ones) and calls the program with &', () => {
    assert.equal(quoteArgument("it's", 'powershell'), "'it''s'");
    assert.equal(quoteArgument('it\u2019s', 'powershell'), "'it\u2019\u2019s'");
    assert.equal(quoteArgument('$env:PATH', 'powershell'), "'$env:PATH'");
    assert.equal(quoteArgument('--', 'powershell'), "'--'");
    assert.equal(quoteArgument('a,b', 'powershell'), "'a,b'");
    assert.equal(quoteArgument('@splat', 'powershell'), "'@splat'");
    assert.equal(
      commandLine(['C:\\Program Files\\Python312\\python.exe', '-m', 'mpscope', 'run', '--no-summary', '--', 'C:\\work\\my file.py'], 'powershell'),
      "& 'C:\\Program Files\\Python312\\python.exe' -m mpscope run --no-summary '--' 'C:\\work\\my file.py'",
    );
    assert.equal(commandLine(['py', '-m', 'mpscope'], 'powershell'), '& py -m mpscope');
  });

  it('cmd: double quotes when needed, and percent signs kept out of variable expansion', () => {
    assert.equal(quoteArgument('C:\\work\\main.py', 'cmd'), 'C:\\work\\main.py');
    assert.equal(quoteArgument('C:\\my work\\a&b.py', 'cmd'), '"C:\\my work\\a&b.py"');
    assert.equal(quoteArgument('100%done', 'cmd'), '"100"^%"done"');
    assert.equal(quoteArgument('', 'cmd'), '""');
  });
});

describe('shellKindFor', () => {
  it('recognises shells by their executable name on any platform', () => {
    const cases: Array<[string | undefined, NodeJS.Platform, string]> = [
      ['/bin/bash', 'linux', 'posix'],
      ['/usr/bin/zsh', 'darwin', 'posix'],
      ['/usr/local/bin/fish', 'darwin', 'fish'],
      ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32', 'powershell'],
      ['C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32', 'powershell'],
      ['/usr/bin/pwsh', 'linux', 'powershell'],
      ['C:\\Windows\\System32\\cmd.exe', 'win32', 'cmd'],
      ['C:\\Program Files\\Git\\bin\\bash.exe', 'win32', 'posix'],
      [undefined, 'win32', 'powershell'],
      ['', 'linux', 'posix'],
    ];
    for (const [shell, platform, expected] of cases) {
      assert.equal(shellKindFor(shell, platform), expected, `${shell} on ${platform}`);
    }
  });
});

describe('runEnvironment', () => {
  const sessionEnv = { MPSCOPE_ADDR: 'unix:/tmp/mpscope-x/collector.sock', MPSCOPE_TOKEN: 'f'.repeat(64) };

  it('puts the runtime first on PYTHONPATH with the platform\'s delimiter', () => {
    assert.deepEqual(runEnvironment({ platform: 'linux', sessionEnv, runtimeDir: '/ext/runtime', existingPythonPath: '/mine:/other' }), {
      ...sessionEnv,
      PYTHONPATH: '/ext/runtime:/mine:/other',
    });
    assert.equal(
      runEnvironment({ platform: 'win32', sessionEnv, runtimeDir: 'C:\\ext\\runtime', existingPythonPath: 'C:\\mine' }).PYTHONPATH,
      'C:\\ext\\runtime;C:\\mine',
    );
    assert.equal(runEnvironment({ platform: 'darwin', sessionEnv, runtimeDir: '/ext/runtime', existingPythonPath: '' }).PYTHONPATH, '/ext/runtime');
    assert.equal(runEnvironment({ platform: 'linux', sessionEnv, runtimeDir: '/ext/runtime', existingPythonPath: undefined }).PYTHONPATH, '/ext/runtime');
  });

  it('runs the launcher with the interpreter\'s own arguments first', () => {
    assert.deepEqual(launcherArgv(['py', '-3.12'], 'a.py'), ['py', '-3.12', '-m', 'mpscope', 'run', '--no-summary', '--', 'a.py']);
  });
});
