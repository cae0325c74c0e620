// The collector's socket. Every Python process of a run opens one stream here, says hello with
// its session's token, then sends JSON-lines events. This file turns those bytes into validated
// events for the model and makes sure nothing a stream sends can hurt the extension: lines are
// bounded, the token is checked in constant time, invalid events are dropped, and every drop is
// counted (see counters.ts). One server serves every session: the token says which session a
// stream belongs to.
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import { explainEvent, isValidEvent } from '../protocol/eventSchema';
import type { MpscopeEvent } from '../protocol/events';
import { CollectorCounters, emptyCounters } from './counters';
import { LineDecoder, LineDropReason, MAX_LINE_BYTES } from './lineDecoder';
import { newToken, tokensEqual } from './token';
import { formatAddress, ListenTarget, prepareListenTarget, TransportKind, transportFor } from './transport';

/** Where validated traffic goes (the model, through the extension's wiring). */
export interface StreamSink {
  /** An event from an authenticated stream; the stream's hello comes first. */
  event(sessionId: string, event: MpscopeEvent): void;
  /** An authenticated stream closed; `t` is the collector's clock in seconds since the epoch. */
  streamClosed(sessionId: string, pid: number, t: number): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string) => void;

export interface SessionServerOptions {
  /** Picks the transport (Unix socket except on win32); tests inject it. */
  readonly platform?: NodeJS.Platform;
  /** Parent of the private socket directory (default: os.tmpdir()). */
  readonly tmpdir?: string;
  readonly maxLineBytes?: number;
  /** A connection that sends no complete line within this time is closed. */
  readonly helloTimeoutMs?: number;
  readonly log?: Logger;
  /** Seconds since the epoch (tests make it deterministic). */
  readonly clock?: () => number;
}

/** What a process needs in its environment to report to one session. */
export interface SessionCredentials {
  readonly sessionId: string;
  readonly token: string;
  readonly env: { readonly MPSCOPE_ADDR: string; readonly MPSCOPE_TOKEN: string };
  /**
   * Runtime settings for MPSCOPE_OPTIONS (merged over the user's own, see runPlan.ts): where
   * stack dumps go (POSIX: the private directory; Windows: answered on the stream).
   */
  readonly runtimeOptions: RuntimeOptions;
}

/** The keys of MPSCOPE_OPTIONS the extension sets (runtime/mpscope/options.py). */
export interface RuntimeOptions {
  readonly stacks_dir?: string;
  readonly stacks_via?: 'request';
  // From the mpscope.runtime.* settings (runtimeSettings.ts).
  readonly capture_args?: boolean;
  readonly task_threshold_ms?: number;
  readonly task_detail?: 'full';
  readonly wait_threshold_ms?: number;
}

const DEFAULT_HELLO_TIMEOUT_MS = 10_000;

interface Stream {
  readonly socket: net.Socket;
  readonly decoder: LineDecoder;
  sessionId?: string;
  pid?: number;
  helloTimer?: NodeJS.Timeout;
  rejected: boolean;
  closed: boolean;
}

export class SessionServer {
  readonly counters: CollectorCounters = emptyCounters();
  private readonly tokens = new Map<string, string>();
  private readonly streams = new Set<Stream>();
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly maxLineBytes: number;
  private readonly helloTimeoutMs: number;
  private disposed = false;

  private constructor(
    private readonly server: net.Server,
    private readonly target: ListenTarget,
    readonly address: string,
    private readonly sink: StreamSink,
    options: SessionServerOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.clock = options.clock ?? (() => Date.now() / 1000);
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.helloTimeoutMs = options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS;
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', (error) => this.log('error', `collector socket error: ${error.message}`));
  }

  static async start(sink: StreamSink, options: SessionServerOptions = {}): Promise<SessionServer> {
    const kind: TransportKind = transportFor(options.platform ?? process.platform);
    const target = await prepareListenTarget(kind, options.tmpdir);
    const server = net.createServer({ pauseOnConnect: false });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const onListening = (): void => {
          server.off('error', reject);
          resolve();
        };
        if (target.kind === 'unix') {
          server.listen(target.socketPath, onListening);
        } else {
          server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, onListening);
        }
      });
      if (target.socketPath) {
        await fs.chmod(target.socketPath, 0o600);
      }
    } catch (error) {
      server.close();
      if (target.privateDir) {
        await fs.rm(target.privateDir, { recursive: true, force: true });
      }
      throw error;
    }
    const bound = server.address();
    const port = typeof bound === 'object' && bound ? bound.port : undefined;
    return new SessionServer(server, target, formatAddress(target, port), sink, options);
  }

  get transport(): TransportKind {
    return this.target.kind;
  }

  /** The private directory holding the Unix socket (undefined for TCP). */
  get privateDir(): string | undefined {
    return this.target.privateDir;
  }

  /** A fresh token for a session; streams presenting it are attributed to that session. */
  openSession(sessionId: string): SessionCredentials {
    const token = newToken();
    this.tokens.set(token, sessionId);
    const runtimeOptions: RuntimeOptions = this.target.privateDir ? { stacks_dir: this.target.privateDir } : { stacks_via: 'request' };
    return { sessionId, token, env: { MPSCOPE_ADDR: this.address, MPSCOPE_TOKEN: token }, runtimeOptions };
  }

  /** Forgets the session's token and closes its streams (e.g. when the session is cleared). */
  closeSession(sessionId: string): void {
    for (const [token, owner] of this.tokens) {
      if (owner === sessionId) {
        this.tokens.delete(token);
      }
    }
    for (const stream of this.streams) {
      if (stream.sessionId === sessionId) {
        stream.socket.destroy();
      }
    }
  }

  /** Number of authenticated streams currently open for a session. */
  openStreams(sessionId: string): number {
    let count = 0;
    for (const stream of this.streams) {
      if (stream.sessionId === sessionId && !stream.closed) {
        count++;
      }
    }
    return count;
  }

  /**
   * Writes one JSON line to the stream of process `pid` in a session (requests such as stack
   * dumps). Returns false when that process has no open stream.
   */
  send(sessionId: string, pid: number, message: object): boolean {
    for (const stream of this.streams) {
      if (stream.sessionId === sessionId && stream.pid === pid && !stream.closed) {
        stream.socket.write(`${JSON.stringify(message)}\n`);
        return true;
      }
    }
    return false;
  }

  async dispose(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.tokens.clear();
    for (const stream of this.streams) {
      stream.socket.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.target.privateDir) {
      await fs.rm(this.target.privateDir, { recursive: true, force: true });
    }
  }

  private accept(socket: net.Socket): void {
    this.counters.connections++;
    if (this.disposed) {
      socket.destroy();
      return;
    }
    const stream: Stream = {
      socket,
      decoder: new LineDecoder(
        {
          line: (text) => this.guard(() => this.onLine(stream, text)),
          drop: (reason) => this.onDrop(stream, reason),
        },
        this.maxLineBytes,
      ),
      rejected: false,
      closed: false,
    };
    this.streams.add(stream);
    stream.helloTimer = setTimeout(() => {
      this.counters.helloTimeouts++;
      this.warn(this.counters.helloTimeouts, 'closed a connection that sent no hello in time');
      this.reject(stream);
    }, this.helloTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.guard(() => stream.decoder.push(chunk)));
    socket.on('error', (error) => this.log('debug', `stream error: ${error.message}`));
    socket.on('close', () => this.guard(() => this.onClose(stream)));
  }

  private onLine(stream: Stream, text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.counters.badJson++;
      this.warn(this.counters.badJson, `dropped a line that is not JSON (${describeLine(text)})`);
      if (stream.sessionId === undefined) {
        this.rejectHello(stream, 'its first line is not JSON');
      }
      return;
    }
    if (!isValidEvent(value)) {
      this.counters.invalidEvents++;
      this.warn(this.counters.invalidEvents, `dropped an invalid event: ${explainEvent(value).errors.slice(0, 3).join('; ')}`);
      if (stream.sessionId === undefined) {
        this.rejectHello(stream, 'its first line is not a valid event');
      }
      return;
    }
    if (stream.sessionId === undefined) {
      this.authenticate(stream, value);
      return;
    }
    if (value.pid !== stream.pid) {
      this.counters.pidMismatch++;
      this.warn(this.counters.pidMismatch, `dropped a ${value.kind} event from pid ${value.pid} on the stream of pid ${stream.pid}`);
      return;
    }
    if (value.kind === 'hello') {
      this.counters.invalidEvents++;
      this.warn(this.counters.invalidEvents, `dropped a second hello on the stream of pid ${stream.pid}`);
      return;
    }
    this.deliver(stream.sessionId, value);
  }

  private authenticate(stream: Stream, event: MpscopeEvent): void {
    if (event.kind !== 'hello') {
      this.rejectHello(stream, `its first event is ${event.kind}, not hello`);
      return;
    }
    // Compare with every open token, without stopping early, so timing reveals nothing.
    let sessionId: string | undefined;
    for (const [token, owner] of this.tokens) {
      if (tokensEqual(token, event.token) && sessionId === undefined) {
        sessionId = owner;
      }
    }
    if (sessionId === undefined) {
      this.counters.rejectedToken++;
      this.warn(this.counters.rejectedToken, `closed a connection from pid ${event.pid}: unknown token`);
      this.reject(stream);
      return;
    }
    clearTimeout(stream.helloTimer);
    stream.sessionId = sessionId;
    stream.pid = event.pid;
    this.counters.authenticated++;
    this.log('debug', `session ${sessionId}: pid ${event.pid} (${event.role}) connected`);
    this.deliver(sessionId, event);
  }

  private deliver(sessionId: string, event: MpscopeEvent): void {
    this.counters.events++;
    try {
      this.sink.event(sessionId, event);
    } catch (error) {
      this.counters.sinkErrors++;
      this.warn(this.counters.sinkErrors, `the model failed on a ${event.kind} event: ${errorText(error)}`);
    }
  }

  private onDrop(stream: Stream, reason: LineDropReason): void {
    if (reason === 'oversize') {
      this.counters.oversizeLines++;
      this.warn(this.counters.oversizeLines, `dropped a line longer than ${this.maxLineBytes} bytes`);
    } else if (reason === 'invalid-utf8') {
      this.counters.invalidUtf8Lines++;
      this.warn(this.counters.invalidUtf8Lines, 'dropped a line that is not UTF-8');
    } else {
      this.counters.truncatedLines++;
    }
    if (stream.sessionId === undefined && reason !== 'truncated') {
      this.rejectHello(stream, `its first line was dropped (${reason})`);
    }
  }

  private rejectHello(stream: Stream, why: string): void {
    this.counters.rejectedHello++;
    this.warn(this.counters.rejectedHello, `closed a connection: ${why}`);
    this.reject(stream);
  }

  private reject(stream: Stream): void {
    stream.rejected = true;
    clearTimeout(stream.helloTimer);
    stream.decoder.stop();
    stream.socket.destroy();
  }

  private onClose(stream: Stream): void {
    if (stream.closed) {
      return;
    }
    stream.closed = true;
    clearTimeout(stream.helloTimer);
    stream.decoder.end();
    this.streams.delete(stream);
    if (stream.sessionId === undefined && !stream.rejected && !this.disposed) {
      this.counters.closedBeforeHello++;
    }
    if (stream.sessionId !== undefined && stream.pid !== undefined) {
      const { sessionId, pid } = stream;
      try {
        this.sink.streamClosed(sessionId, pid, this.clock());
      } catch (error) {
        this.counters.sinkErrors++;
        this.warn(this.counters.sinkErrors, `the model failed on a closed stream: ${errorText(error)}`);
      }
    }
  }

  /** Socket callbacks must never throw into Node's event loop: that would crash the host. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.counters.sinkErrors++;
      this.log('error', `collector failure: ${errorText(error)}`);
    }
  }

  /** Logs the first few occurrences of a problem, then only at powers of ten. */
  private warn(count: number, message: string): void {
    if (count <= 5 || /^10+$/.test(String(count))) {
      this.log('warn', count > 1 ? `${message} (${count} so far)` : message);
    }
  }
}

function describeLine(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(shown);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
