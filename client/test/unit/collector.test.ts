// The collector end to end without VS Code: a session in the model, real processes-like clients
// on the real socket, and the resulting snapshot.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { resolveSitePath } from '../../src/commands/sitePath';
import { Model } from '../../src/model/model';
import { Collector } from '../../src/session/collector';
import * as make from './helpers/events';
import { TestClient, waitFor } from './helpers/wait';

describe('Collector', () => {
  it('fills a session from streams presenting its token, and ends it when the launcher leaves', async () => {
    const model = new Model();
    const logs: string[] = [];
    const collector = new Collector(model, { log: (level, message) => logs.push(`${level}: ${message}`) });
    try {
      assert.equal((await collector.counters()).connections, 0, 'no socket before the first session');
      const { sessionId, env, token } = await collector.startSession({ label: 'main.py' });
      const launcher = await TestClient.connect(env.MPSCOPE_ADDR);
      launcher.sendLine(make.hello(10, 5, 'launcher', { token }));
      const main = await TestClient.connect(env.MPSCOPE_ADDR);
      main.sendLine(make.hello(11, 10, 'main', { token, name: 'MainProcess' }));
      main.sendLine(make.created(11, '11-1', { name: 'child' }));
      main.sendLine(make.started(11, '11-1', 12));
      const child = await TestClient.connect(env.MPSCOPE_ADDR);
      child.sendLine(make.hello(12, 11, 'process', { token }));
      const stranger = await TestClient.connect(env.MPSCOPE_ADDR);
      stranger.sendLine(make.hello(13, 11, 'process', { token: '0'.repeat(64) }));
      await stranger.whenClosed();

      await child.close(); // no exit record: lost until its parent reports
      main.sendLine(make.exitedBy('parent', 11, 12, -9));
      main.sendLine(make.exitedSelf(11, 0));
      await main.close();
      launcher.sendLine(make.exitedBy('launcher', 10, 11, 0));
      await launcher.close();

      await waitFor('the session to end', () => model.session(sessionId)?.endedAt !== null);
      const session = model.snapshot()[0];
      assert.deepEqual(
        session.processes.map((p) => [p.pid, p.parentKey, p.name, p.state, p.exit?.signal ?? p.exit?.exitcode]),
        [[11, null, 'MainProcess', 'exited', 0], [12, '11', 'child', 'killed', 'SIGKILL']],
      );
      const counters = await collector.counters();
      assert.equal(counters.authenticated, 3);
      assert.equal(counters.rejectedToken, 1);
      await waitFor('the end-of-session log line', () => logs.some((line) => line.includes(`session ${sessionId} ended`)));
      assert.ok(logs.some((line) => line.startsWith('info: collector listening on unix:')), logs.join('\n'));
    } finally {
      await collector.dispose();
    }
  });

  it('closes the streams of a cleared session and forgets it', async () => {
    const model = new Model();
    const collector = new Collector(model);
    try {
      const { sessionId, env, token } = await collector.startSession({ label: 'a.py' });
      const client = await TestClient.connect(env.MPSCOPE_ADDR);
      client.sendLine(make.hello(11, 10, 'main', { token }));
      await waitFor('the hello', () => model.session(sessionId)?.processCount === 1);
      assert.equal(await collector.send(sessionId, 11, { kind: 'request.ping' }), true);
      await waitFor('the request', () => client.received.length === 1);
      await collector.clearSession(sessionId);
      await client.whenClosed();
      assert.equal(model.session(sessionId), undefined);
      assert.equal(await collector.send(sessionId, 11, { kind: 'request.ping' }), false);
    } finally {
      await collector.dispose();
    }
  });

  it('refuses new sessions after dispose', async () => {
    const collector = new Collector(new Model());
    await collector.dispose();
    await assert.rejects(collector.startSession({ label: 'x' }), /shut down/);
  });
});

describe('resolveSitePath', () => {
  it('keeps absolute paths, resolves relative ones against the process cwd, and refuses pseudo-files', () => {
    assert.equal(resolveSitePath('/w/a/../b.py', null), '/w/b.py');
    assert.equal(resolveSitePath('pkg/mod.py', '/w'), '/w/pkg/mod.py');
    assert.equal(resolveSitePath('pkg/mod.py', null), undefined);
    assert.equal(resolveSitePath('<stdin>', '/w'), undefined);
    assert.equal(resolveSitePath('<frozen runpy>', '/w'), undefined);
    assert.equal(resolveSitePath('C:\\w\\a.py', null, path.win32), 'C:\\w\\a.py');
    assert.equal(resolveSitePath('a.py', 'C:\\w', path.win32), 'C:\\w\\a.py');
  });
});
