// How the session commands read their arguments and name their files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileStem, sessionIdOf } from '../../src/commands/sessionArguments';

describe('session command arguments', () => {
  it('takes the session from a tree node (session or process) or an id, and nothing else', () => {
    assert.equal(sessionIdOf({ type: 'session', sessionId: 's3' }), 's3');
    assert.equal(sessionIdOf({ type: 'process', sessionId: 's4', key: '17' }), 's4');
    assert.equal(sessionIdOf('s5'), 's5');
    for (const other of [undefined, null, 7, {}, { sessionId: 7 }, ['s1']]) {
      assert.equal(sessionIdOf(other), undefined, JSON.stringify(other));
    }
  });

  it('names files after the program, safely', () => {
    assert.equal(fileStem('pool_map.py'), 'pool_map');
    assert.equal(fileStem('/home/me/work/crash.pyw'), 'crash');
    assert.equal(fileStem('C:\\work\\win.py'), 'win');
    assert.equal(fileStem('-m pkg.main'), 'm_pkg.main');
    assert.equal(fileStem('prog.py (run.jsonl)'), 'prog.py_run.jsonl');
    assert.equal(fileStem('../../etc/passwd'), 'passwd');
    assert.equal(fileStem('...'), 'session');
    assert.equal(fileStem(''), 'session');
  });
});
