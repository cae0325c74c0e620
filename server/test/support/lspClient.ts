// A minimal LSP client for tests: starts the bundled server as a child process over stdio
// (Content-Length framed JSON-RPC) or Node IPC (what vscode-languageclient uses), sends
// requests and notifications, answers the server's own requests, and waits for notifications.

import { type ChildProcess, fork, spawn } from 'node:child_process';

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

interface Waiter {
  method: string;
  predicate: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

export class LspClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly requestHandlers = new Map<string, (params: unknown) => unknown>();
  /** Notifications not yet consumed by a wait. */
  private readonly unclaimed: { method: string; params: unknown }[] = [];
  private readonly waiters: Waiter[] = [];
  private stderrText = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly write: (message: Message) => void,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderrText += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.exited.then(() => {
      for (const { reject } of this.pending.values()) reject(new Error(`server exited; stderr:\n${this.stderrText}`));
      this.pending.clear();
    });
  }

  static startStdio(serverPath: string): LspClient {
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspClient(child, (message) => {
      const body = Buffer.from(JSON.stringify(message), 'utf8');
      child.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
      child.stdin!.write(body);
    });
    let buffer = Buffer.alloc(0);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const header = buffer.subarray(0, headerEnd).toString('ascii');
        const length = Number(/Content-Length:\s*(\d+)/i.exec(header)?.[1]);
        if (!Number.isFinite(length)) throw new Error(`bad LSP header: ${header}`);
        if (buffer.length < headerEnd + 4 + length) return;
        const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
        buffer = buffer.subarray(headerEnd + 4 + length);
        client.dispatch(JSON.parse(body) as Message);
      }
    });
    return client;
  }

  static startIpc(serverPath: string): LspClient {
    const child = fork(serverPath, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const client = new LspClient(child, (message) => child.send(message));
    child.on('message', (message) => client.dispatch(message as Message));
    return client;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Answers requests the server sends (workspace/configuration, client/registerCapability). */
  onRequest(method: string, handler: (params: unknown) => unknown): void {
    this.requestHandlers.set(method, handler);
  }

  request<T>(method: string, params: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no response to ${method} within ${timeoutMs} ms; stderr:\n${this.stderrText}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** The first notification of `method` (already received or still to come) that matches. */
  waitForNotification<T>(
    method: string,
    predicate: (params: T) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<T> {
    const index = this.unclaimed.findIndex((note) => note.method === method && predicate(note.params as T));
    if (index >= 0) return Promise.resolve(this.unclaimed.splice(index, 1)[0].params as T);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate: (params) => predicate(params as T),
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params as T);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching ${method} within ${timeoutMs} ms; stderr:\n${this.stderrText}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Shuts the server down politely, then makes sure the process is gone. */
  async stop(): Promise<number | null> {
    if (this.alive) {
      try {
        await this.request('shutdown', null, 5_000);
        this.notify('exit', null);
      } catch {
        this.child.kill();
      }
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private dispatch(message: Message): void {
    if (message.method === undefined) {
      const pending = this.pending.get(Number(message.id));
      if (pending === undefined) return;
      this.pending.delete(Number(message.id));
      if (message.error) pending.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else pending.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      const handler = this.requestHandlers.get(message.method);
      if (handler) this.write({ jsonrpc: '2.0', id: message.id, result: handler(message.params) ?? null });
      else this.write({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `unhandled ${message.method}` } });
      return;
    }
    const waiter = this.waiters.find((candidate) => candidate.method === message.method && candidate.predicate(message.params));
    if (waiter) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(message.params);
    } else {
      this.unclaimed.push({ method: message.method, params: message.params });
    }
  }
}
