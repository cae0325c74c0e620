// The collector's socket, over real Unix sockets and real loopback TCP: authentication, the
// limits on what a stream may send, and the counters for everything dropped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MpscopeEvent } from '../../src/protocol/events';
import { CollectorCounters, emptyCounters } from '../../src/session/counters';
import { SessionServer, SessionServerOptions, StreamSink } from '../../src/session/sessionServer';
import * as make from './helpers/events';
import { TestClient, waitFor } from './helpers/wait';

interface Received {
  readonly events: Array<{ sessionId: string; event: MpscopeEvent }>;
  readonly closed: Array<{ sessionId: string; pid: number; t: number }>;
}

function recordingSink(): StreamSink & Received {
  const events: Received['events'] = [];
  const closed: Received['closed'] = [];
  return {
    events,
    closed,
    event: (sessionId, event) => events.push({ sessionId, event }),
    streamClosed: (sessionId, pid, t) => closed.push({ sessionId, pid, t }),
  };
}

/** The counters expected after a test: zeros except what the test names. */
function counters(changed: Partial<CollectorCounters>): CollectorCounters {
  return { ...emptyCounters(), ...changed };
}

async function startServer(options: SessionServerOptions = {}): Promise<{ server: SessionServer; sink: ReturnType<typeof recordingSink> }> {
  const sink = recordingSink();
  const server = await SessionServer.start(sink, { clock: () => 4242, ...options });
  return { server, sink };
}

function helloWith(token: string, pid = 300): MpscopeEvent {
  return make.hello(pid, 1, 'main', { token });
}

for (const platform of ['linux', 'win32'] as const) {
  const transport = platform === 'win32' ? 'tcp' : 'unix';
  describe(`SessionServer over ${transport} (platform ${platform})`, () => {
    it('accepts a stream with the right token and hands its events to the session', async () => {
      const { server, sink } = await startServer({ platform });
      try {
        const { sessionId, token, env } = server.openSession('s1');
        assert.equal(env.MPSCOPE_TOKEN, token);
        assert.equal(env.MPSCOPE_ADDR, server.address);
        const client = await TestClient.connect(env.MPSCOPE_ADDR);
        client.sendLine(helloWith(token));
        client.sendLine(make.started(300, '300-1', 301));
        await waitFor('two events', () => sink.events.length === 2);
        assert.deepEqual(sink.events.map((e) => [e.sessionId, e.event.kind]), [[sessionId, 'hello'], [sessionId, 'process.started']]);
        assert.equal(server.openStreams(sessionId), 1);
        await client.close();
        await waitFor('the stream-closed notification', () => sink.closed.length === 1);
        assert.deepEqual(sink.closed, [{ sessionId, pid: 300, t: 4242 }]);
        assert.deepEqual(server.counters, counters({ connections: 1, authenticated: 1, events: 2 }));
      } finally {
        await server.dispose();
      }
    });

    it('closes a stream with a wrong token, counts it, and keeps serving others', async () => {
      const { server, sink } = await startServer({ platform });
      try {
        const { token } = server.openSession('s1');
        const intruder = await TestClient.connect(server.address);
        intruder.sendLine(helloWith('b'.repeat(64)));
        intruder.sendLine(make.started(300, '300-1', 301));
        await intruder.whenClosed();
        const friend = await TestClient.connect(server.address);
        friend.sendLine(helloWith(token, 400));
        await waitFor('the good hello', () => sink.events.length === 1);
        assert.equal(sink.events[0].event.pid, 400);
        await friend.close();
        await waitFor('the stream-closed notification', () => sink.closed.length === 1);
        assert.deepEqual(sink.closed.map((c) => c.pid), [400]); // never the rejected one
        assert.deepEqual(server.counters, counters({ connections: 2, authenticated: 1, rejectedToken: 1, events: 1 }));
      } finally {
        await server.dispose();
      }
    });
  });
}

describe('SessionServer rejects streams that do not start with a valid hello', () => {
  let server: SessionServer;
  let sink: ReturnType<typeof recordingSink>;
  let token: string;

  before(async () => {
    ({ server, sink } = await startServer({ maxLineBytes: 4096, helloTimeoutMs: 100 }));
    ({ token } = server.openSession('s1'));
  });
  after(() => server.dispose());

  async function rejected(send: (client: TestClient) => void): Promise<void> {
    const client = await TestClient.connect(server.address);
    send(client);
    await client.whenClosed();
  }

  it('an event before the hello', async () => {
    const before = { ...server.counters };
    await rejected((client) => client.sendLine(make.started(300, '300-1', 301)));
    assert.equal(server.counters.rejectedHello, before.rejectedHello + 1);
  });

  it('garbage', async () => {
    const before = { ...server.counters };
    await rejected((client) => client.sendRaw('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    assert.equal(server.counters.rejectedHello, before.rejectedHello + 1);
    assert.equal(server.counters.badJson, before.badJson + 1);
  });

  it('a hello that does not validate (token too short)', async () => {
    const before = { ...server.counters };
    await rejected((client) => client.sendLine({ ...helloWith(token), token: 'x' }));
    assert.equal(server.counters.rejectedHello, before.rejectedHello + 1);
    assert.equal(server.counters.invalidEvents, before.invalidEvents + 1);
  });

  it('an oversize first line', async () => {
    const before = { ...server.counters };
    await rejected((client) => client.sendRaw(Buffer.alloc(64 * 1024, 0x7b)));
    assert.equal(server.counters.oversizeLines, before.oversizeLines + 1);
    assert.equal(server.counters.rejectedHello, before.rejectedHello + 1);
  });

  it('bytes that are not UTF-8', async () => {
    const before = { ...server.counters };
    await rejected((client) => client.sendRaw(Buffer.from([0xc3, 0x28, 0x0a])));
    assert.equal(server.counters.invalidUtf8Lines, before.invalidUtf8Lines + 1);
    assert.equal(server.counters.rejectedHello, before.rejectedHello + 1);
  });

  it('silence', async () => {
    const before = { ...server.counters };
    await rejected(() => undefined);
    assert.equal(server.counters.helloTimeouts, before.helloTimeouts + 1);
  });

  it('a client that leaves without a word (counted, not an error)', async () => {
    const before = { ...server.counters };
    const client = await TestClient.connect(server.address);
    await client.close();
    await waitFor('the server to see the close', () => server.counters.closedBeforeHello === before.closedBeforeHello + 1);
    assert.equal(server.counters.rejectedHello, before.rejectedHello);
  });

  it('a partial hello cut off by the client', async () => {
    const before = { ...server.counters };
    const client = await TestClient.connect(server.address);
    client.sendRaw('{"v":1,"kind":"hel');
    await client.close();
    await waitFor('the server to see the close', () => server.counters.closedBeforeHello === before.closedBeforeHello + 1);
    assert.equal(server.counters.truncatedLines, before.truncatedLines + 1);
  });

  it('and none of them reached the model; a good stream still works afterwards', async () => {
    assert.equal(sink.events.length, 0);
    const client = await TestClient.connect(server.address);
    client.sendLine(helloWith(token));
    await waitFor('the hello', () => sink.events.length === 1);
    await client.close();
    assert.equal(server.counters.authenticated, 1);
  });
});

describe('SessionServer on an authenticated stream', () => {
  it('drops and counts bad lines, and delivers the good ones around them', async () => {
    const { server, sink } = await startServer({ maxLineBytes: 4096 });
    try {
      const { token } = server.openSession('s1');
      const client = await TestClient.connect(server.address);
      client.sendLine(helloWith(token, 300));
      client.sendLine('not json');
      client.sendLine({ v: 1, kind: 'process.started', t: 1, pid: 300 }); // fields missing
      client.sendLine(make.started(999, '999-1', 1000)); // another process's pid
      client.sendLine(helloWith(token, 300)); // a second hello
      client.sendRaw(Buffer.alloc(10_000, 0x20));
      client.sendRaw('\n');
      client.sendRaw(Buffer.from([0x22, 0xff, 0x22, 0x0a]));
      client.sendLine(make.started(300, '300-1', 301));
      client.sendRaw('{"partial":');
      await waitFor('the good event after the bad lines', () => sink.events.length === 2);
      assert.equal(sink.events[1].event.kind, 'process.started');
      assert.equal(client.closed, false, 'bad lines from an authenticated stream must not close it');
      await client.close();
      await waitFor('the stream-closed notification', () => sink.closed.length === 1);
      assert.deepEqual(
        server.counters,
        counters({
          connections: 1,
          authenticated: 1,
          events: 2,
          badJson: 1,
          invalidEvents: 2,
          pidMismatch: 1,
          oversizeLines: 1,
          invalidUtf8Lines: 1,
          truncatedLines: 1,
        }),
      );
    } finally {
      await server.dispose();
    }
  });

  it('survives a model that throws, and counts it', async () => {
    const sink = recordingSink();
    const server = await SessionServer.start({
      event: (sessionId, event) => {
        if (event.kind === 'process.started') {
          throw new Error('model bug');
        }
        sink.event(sessionId, event);
      },
      streamClosed: () => {
        throw new Error('model bug on close');
      },
    });
    try {
      const { token } = server.openSession('s1');
      const client = await TestClient.connect(server.address);
      client.sendLine(helloWith(token, 300));
      client.sendLine(make.started(300, '300-1', 301));
      client.sendLine(make.exitedSelf(300, 0));
      await waitFor('the event after the failing one', () => sink.events.length === 2);
      await client.close();
      await waitFor('both failures to be counted', () => server.counters.sinkErrors === 2);
    } finally {
      await server.dispose();
    }
  });

  it('attributes streams to their session by token, and forgets a closed session', async () => {
    const { server, sink } = await startServer();
    try {
      const first = server.openSession('s1');
      const second = server.openSession('s2');
      assert.notEqual(first.token, second.token);
      const a = await TestClient.connect(server.address);
      a.sendLine(helloWith(first.token, 300));
      const b = await TestClient.connect(server.address);
      b.sendLine(helloWith(second.token, 400));
      await waitFor('both hellos', () => sink.events.length === 2);
      assert.deepEqual(
        new Map(sink.events.map((e) => [e.event.pid, e.sessionId])),
        new Map([[300, 's1'], [400, 's2']]),
      );
      server.closeSession('s1');
      await a.whenClosed();
      const late = await TestClient.connect(server.address);
      late.sendLine(helloWith(first.token, 301));
      await late.whenClosed();
      assert.equal(server.counters.rejectedToken, 1);
      assert.equal(b.closed, false);
      await b.close();
    } finally {
      await server.dispose();
    }
  });

  it('writes requests back on the stream of one process', async () => {
    const { server, sink } = await startServer();
    try {
      const { token } = server.openSession('s1');
      const client = await TestClient.connect(server.address);
      client.sendLine(helloWith(token, 300));
      await waitFor('the hello', () => sink.events.length === 1);
      assert.equal(server.send('s1', 300, { kind: 'request.stacks' }), true);
      assert.equal(server.send('s1', 301, { kind: 'request.stacks' }), false);
      await waitFor('the request line', () => client.received.length === 1);
      assert.deepEqual(JSON.parse(client.received[0]), { kind: 'request.stacks' });
      await client.close();
    } finally {
      await server.dispose();
    }
  });
});

describe('SessionServer private directory', () => {
  it('puts the Unix socket in a 0700 directory, the socket at 0600, and removes both on dispose', async () => {
    const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-test-'));
    try {
      const { server } = await startServer({ platform: 'linux', tmpdir });
      const dir = server.privateDir;
      assert.ok(dir && dir.startsWith(tmpdir));
      assert.match(server.address, /^unix:\//);
      const socketPath = server.address.slice('unix:'.length);
      assert.equal(path.dirname(socketPath), dir);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600);
      assert.ok(fs.statSync(socketPath).isSocket());
      await server.dispose();
      assert.equal(fs.existsSync(dir), false);
      await server.dispose(); // twice is harmless
    } finally {
      fs.rmSync(tmpdir, { recursive: true, force: true });
    }
  });

  it('listens on loopback TCP on Windows, with no directory', async () => {
    const { server } = await startServer({ platform: 'win32' });
    try {
      assert.equal(server.transport, 'tcp');
      assert.equal(server.privateDir, undefined);
      assert.match(server.address, /^tcp:127\.0\.0\.1:[1-9][0-9]*$/);
    } finally {
      await server.dispose();
    }
  });

  it('tells sessions where stack dumps go: the private directory (Unix), or answers on the stream (Windows)', async () => {
    const unix = await startServer({ platform: 'linux' });
    const tcp = await startServer({ platform: 'win32' });
    try {
      assert.deepEqual(unix.server.openSession('s1').runtimeOptions, { stacks_dir: unix.server.privateDir });
      assert.deepEqual(tcp.server.openSession('s1').runtimeOptions, { stacks_via: 'request' });
    } finally {
      await Promise.all([unix.server.dispose(), tcp.server.dispose()]);
    }
  });

  it('gives every session a fresh 64-character hex token', async () => {
    const { server } = await startServer();
    try {
      const tokens = new Set(['s1', 's2', 's3'].map((id) => server.openSession(id).token));
      assert.equal(tokens.size, 3);
      for (const token of tokens) {
        assert.match(token, /^[0-9a-f]{64}$/);
      }
    } finally {
      await server.dispose();
    }
  });
});
