// Choosing the Python interpreter, and reading it from the Python extension's API.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { expandSetting, findOnPath, InterpreterInputs, selectInterpreter } from '../../src/python/interpreter';
import { interpreterFromPythonApi } from '../../src/python/pythonExtensionApi';

function inputs(overrides: Partial<InterpreterInputs>): InterpreterInputs {
  return {
    platform: 'linux',
    setting: undefined,
    workspaceFolder: '/ws',
    homeDir: '/home/me',
    pythonExtension: async () => undefined,
    findOnPath: async () => undefined,
    ...overrides,
  };
}

describe('selectInterpreter', () => {
  it('uses the mpscope.pythonPath setting first, with variables expanded', async () => {
    const chosen = await selectInterpreter(inputs({
      setting: '${workspaceFolder}/.venv/bin/python',
      pythonExtension: async () => ['/ext/python'],
      findOnPath: async () => '/usr/bin/python3',
    }));
    assert.deepEqual(chosen, { command: ['/ws/.venv/bin/python'], source: 'setting' });
  });

  it('uses the Python extension next, keeping a multi-part command', async () => {
    const chosen = await selectInterpreter(inputs({
      setting: '  ',
      pythonExtension: async () => ['conda', 'run', '-n', 'env', 'python'],
      findOnPath: async () => '/usr/bin/python3',
    }));
    assert.deepEqual(chosen, { command: ['conda', 'run', '-n', 'env', 'python'], source: 'python-extension' });
  });

  it('falls back to PATH when the Python extension fails or answers nothing useful', async () => {
    for (const pythonExtension of [async () => { throw new Error('broken'); }, async () => [], async () => ['']]) {
      const chosen = await selectInterpreter(inputs({ pythonExtension, findOnPath: async (name) => (name === 'python3' ? '/usr/bin/python3' : undefined) }));
      assert.deepEqual(chosen, { command: ['/usr/bin/python3'], source: 'path' });
    }
  });

  it('looks for python3 then python on POSIX, py then python on Windows', async () => {
    for (const [platform, expected] of [['linux', ['python3', 'python']], ['darwin', ['python3', 'python']], ['win32', ['py', 'python']]] as const) {
      const asked: string[] = [];
      const chosen = await selectInterpreter(inputs({ platform, findOnPath: async (name) => { asked.push(name); return undefined; } }));
      assert.equal(chosen, undefined);
      assert.deepEqual(asked, expected);
    }
    const chosen = await selectInterpreter(inputs({ findOnPath: async (name) => (name === 'python' ? '/opt/bin/python' : undefined) }));
    assert.deepEqual(chosen, { command: ['/opt/bin/python'], source: 'path' });
  });

  it('expands ~ and ${userHome}', () => {
    const base = { workspaceFolder: undefined, homeDir: '/home/me', platform: 'linux' as const };
    assert.equal(expandSetting('~/venv/bin/python', base), '/home/me/venv/bin/python');
    assert.equal(expandSetting('${userHome}/py', base), '/home/me/py');
    assert.equal(expandSetting('${workspaceFolder}/py', base), '${workspaceFolder}/py');
    assert.equal(expandSetting('~\\py.exe', { ...base, platform: 'win32', homeDir: 'C:\\Users\\me' }), 'C:\\Users\\me\\py.exe');
  });
});

describe('findOnPath', () => {
  it('finds an executable file on a real PATH and skips directories and non-executables', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-path-'));
    try {
      const [a, b, c] = ['a', 'b', 'c'].map((name) => {
        const dir = path.join(root, name);
        fs.mkdirSync(dir);
        return dir;
      });
      fs.mkdirSync(path.join(a, 'python3')); // a directory with the name
      fs.writeFileSync(path.join(b, 'python3'), '#!/bin/sh\n', { mode: 0o644 }); // not executable
      fs.writeFileSync(path.join(c, 'python3'), '#!/bin/sh\n', { mode: 0o755 });
      const found = await findOnPath('python3', { platform: 'linux', pathEnv: ['', a, b, c].join(':') });
      assert.equal(found, path.join(c, 'python3'));
      assert.equal(await findOnPath('python3', { platform: 'linux', pathEnv: [a, b].join(':') }), undefined);
      assert.equal(await findOnPath('python3', { platform: 'linux', pathEnv: undefined }), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('tries PATHEXT extensions and quoted directories on Windows', async () => {
    const seen: string[] = [];
    const found = await findOnPath('py', {
      platform: 'win32',
      pathEnv: 'C:\\Windows;"C:\\Program Files\\Python"',
      pathExt: '.COM;.EXE',
      isExecutableFile: async (file) => {
        seen.push(file);
        return file === 'C:\\Program Files\\Python\\py.exe';
      },
    });
    assert.equal(found, 'C:\\Program Files\\Python\\py.exe');
    assert.deepEqual(seen, ['C:\\Windows\\py.com', 'C:\\Windows\\py.exe', 'C:\\Program Files\\Python\\py.com', 'C:\\Program Files\\Python\\py.exe']);
  });
});

describe('interpreterFromPythonApi', () => {
  const resource = { fsPath: '/ws/a.py' };

  it('reads the current environments API', async () => {
    const api = {
      environments: {
        getActiveEnvironmentPath: (r: unknown) => {
          assert.equal(r, resource);
          return { id: 'x', path: '/ws/.venv' };
        },
        resolveEnvironment: async (env: { path: string }) => ({ executable: { uri: { fsPath: `${env.path}/bin/python` } } }),
      },
    };
    assert.deepEqual(await interpreterFromPythonApi(api, resource), ['/ws/.venv/bin/python']);
  });

  it('uses the active path itself when it names a python executable and cannot be resolved', async () => {
    const api = { environments: { getActiveEnvironmentPath: () => ({ path: '/usr/bin/python3.11' }), resolveEnvironment: async () => undefined } };
    assert.deepEqual(await interpreterFromPythonApi(api, resource), ['/usr/bin/python3.11']);
  });

  it('reads the older settings.getExecutionDetails API', async () => {
    const api = { settings: { getExecutionDetails: () => ({ execCommand: ['/usr/bin/python3', '-X', 'dev'] }) } };
    assert.deepEqual(await interpreterFromPythonApi(api, resource), ['/usr/bin/python3', '-X', 'dev']);
  });

  it('answers undefined for anything unexpected, and never throws', async () => {
    const hostile = [
      undefined,
      null,
      42,
      {},
      { environments: { getActiveEnvironmentPath: () => { throw new Error('nope'); } } },
      { environments: { getActiveEnvironmentPath: async () => ({ path: '/ws/.venv' }), resolveEnvironment: async () => { throw new Error('x'); } } },
      { settings: { getExecutionDetails: () => ({ execCommand: 'python' }) } },
      { settings: { getExecutionDetails: () => ({ execCommand: [1, 2] }) } },
      { get environments(): never { throw new Error('getter'); } },
    ];
    for (const [index, api] of hostile.entries()) {
      assert.equal(await interpreterFromPythonApi(api, resource), undefined, `hostile API #${index}`);
    }
  });

  it('gives up on an API that never answers', async () => {
    const api = { environments: { getActiveEnvironmentPath: () => new Promise(() => undefined) } };
    assert.equal(await interpreterFromPythonApi(api, resource, 20), undefined);
  });
});
