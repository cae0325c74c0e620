// What mpscope adds to a Python launch configuration, and how it keeps the user's environment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../src/debug/envFile';
import { launchEnvironment, LaunchEnvironmentInputs, shouldInstrument } from '../../src/debug/launchEnvironment';

const sessionEnv = { MPSCOPE_ADDR: 'unix:/tmp/mpscope-x/collector.sock', MPSCOPE_TOKEN: 'f'.repeat(64) };
const BOOT = '/ext/runtime/bootstrap';

function inputs(more: Partial<LaunchEnvironmentInputs>): LaunchEnvironmentInputs {
  return { platform: 'linux', configEnv: undefined, envFile: undefined, inheritedPythonPath: undefined, bootstrapDir: BOOT, sessionEnv, ...more };
}

describe('parseEnvFile', () => {
  it('reads KEY=value lines with export, comments, quotes and escapes', () => {
    const text = [
      '\uFEFF# a comment',
      'PLAIN=value',
      'export EXPORTED = spaced value  ',
      'SINGLE=\'${PLAIN} stays # literal\'',
      'DOUBLE="line1\\nline2 ${PLAIN}"',
      'INLINE=abc # trailing comment',
      'HASH=a#b',
      'EMPTY=',
      'not a line',
      '  ',
      'DOLLAR=\\${PLAIN}',
    ].join('\r\n');
    assert.deepEqual(parseEnvFile(text), {
      PLAIN: 'value',
      EXPORTED: 'spaced value',
      SINGLE: '${PLAIN} stays # literal',
      DOUBLE: 'line1\nline2 value',
      INLINE: 'abc',
      HASH: 'a#b',
      EMPTY: '',
      DOLLAR: '${PLAIN}',
    });
  });

  it('expands ${NAME} from earlier keys, then from the base environment, else to nothing', () => {
    const base = (name: string): string | undefined => ({ HOME: '/home/u', PYTHONPATH: '/inherited' })[name];
    const text = 'ROOT=${HOME}/proj\nPYTHONPATH=${ROOT}/src:${PYTHONPATH}:${MISSING}x';
    assert.deepEqual(parseEnvFile(text, base), { ROOT: '/home/u/proj', PYTHONPATH: '/home/u/proj/src:/inherited:x' });
  });
});

describe('shouldInstrument', () => {
  it('instruments launches unless "mpscope": false or the setting is off; never attaches', () => {
    assert.equal(shouldInstrument({ request: 'launch' }, true), true);
    assert.equal(shouldInstrument({ request: 'launch', mpscope: true }, true), true);
    assert.equal(shouldInstrument({ request: 'launch', mpscope: false }, true), false);
    assert.equal(shouldInstrument({ request: 'launch' }, false), false);
    assert.equal(shouldInstrument({ request: 'attach' }, true), false);
    assert.equal(shouldInstrument({}, true), false);
  });
});

describe('launchEnvironment', () => {
  it('adds the session and puts the bootstrap first on the inherited PYTHONPATH when the user sets none', () => {
    assert.deepEqual(launchEnvironment(inputs({ inheritedPythonPath: '/site/a:/site/b' })), {
      PYTHONPATH: `${BOOT}:/site/a:/site/b`,
      ...sessionEnv,
    });
    assert.deepEqual(launchEnvironment(inputs({})), { PYTHONPATH: BOOT, ...sessionEnv });
  });

  it('keeps every variable of env as written, and its PYTHONPATH after the bootstrap', () => {
    const configEnv = { FOO: 'bar', UNSET_ME: null, PORT: 8080, PYTHONPATH: '/proj/src:/proj/lib' };
    assert.deepEqual(launchEnvironment(inputs({ configEnv, inheritedPythonPath: '/ignored' })), {
      FOO: 'bar',
      UNSET_ME: null,
      PORT: 8080,
      PYTHONPATH: `${BOOT}:/proj/src:/proj/lib`,
      ...sessionEnv,
    });
  });

  it('takes PYTHONPATH from the envFile, followed by env\'s, as the Python extension merges them', () => {
    const envFile = { PYTHONPATH: '/from/file', OTHER: 'x' };
    assert.equal(launchEnvironment(inputs({ envFile, inheritedPythonPath: '/ignored' })).PYTHONPATH, `${BOOT}:/from/file`);
    assert.equal(
      launchEnvironment(inputs({ envFile, configEnv: { PYTHONPATH: '/from/env' } })).PYTHONPATH,
      `${BOOT}:/from/file:/from/env`,
    );
    // Only PYTHONPATH is taken from the file: the debug adapter (or the Python extension) reads the rest.
    assert.equal(launchEnvironment(inputs({ envFile })).OTHER, undefined);
    // A file without PYTHONPATH leaves the inherited one.
    assert.equal(launchEnvironment(inputs({ envFile: { A: 'b' }, inheritedPythonPath: '/inh' })).PYTHONPATH, `${BOOT}:/inh`);
  });

  it('does not repeat entries (the Python extension may have merged the envFile into env already), nor the bootstrap', () => {
    const merged = launchEnvironment(inputs({ envFile: { PYTHONPATH: '/a:/b' }, configEnv: { PYTHONPATH: `/a:/b:${BOOT}:/c/` } }));
    assert.equal(merged.PYTHONPATH, `${BOOT}:/a:/b:/c/`);
  });

  it('honours env\'s PYTHONPATH: null (unset) and replaces stale mpscope values', () => {
    const env = launchEnvironment(inputs({ configEnv: { PYTHONPATH: null, MPSCOPE_TOKEN: 'old', MPSCOPE_ADDR: 'old' }, inheritedPythonPath: '/inh' }));
    assert.deepEqual(env, { PYTHONPATH: BOOT, ...sessionEnv });
  });

  it('on Windows: ";" separators, names in any case, one spelling of each', () => {
    const env = launchEnvironment(inputs({
      platform: 'win32',
      bootstrapDir: 'C:\\ext\\runtime\\bootstrap',
      configEnv: { PythonPath: 'C:\\proj;c:\\EXT\\runtime\\bootstrap\\', mpscope_token: 'stale', Path: 'C:\\bin' },
      envFile: { pythonpath: 'D:\\lib' },
    }));
    assert.deepEqual(env, {
      Path: 'C:\\bin',
      PythonPath: 'C:\\ext\\runtime\\bootstrap;D:\\lib;C:\\proj',
      ...sessionEnv,
    });
  });

  it('ignores an env that is not an object', () => {
    assert.deepEqual(launchEnvironment(inputs({ configEnv: ['A=B'] })), { PYTHONPATH: BOOT, ...sessionEnv });
  });
});
