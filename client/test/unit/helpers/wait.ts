// Waiting for real asynchronous state (sockets) without fixed sleeps.
import * as net from 'node:net';

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A client connection to an `MPSCOPE_ADDR` (`unix:/path` or `tcp:127.0.0.1:PORT`). */
export class TestClient {
  readonly received: string[] = [];
  closed = false;
  private buffered = '';

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) !== -1) {
        this.received.push(this.buffered.slice(0, newline));
        this.buffered = this.buffered.slice(newline + 1);
      }
    });
    socket.on('error', () => undefined); // the server may reset a rejected connection
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static connect(address: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = address.startsWith('unix:')
        ? net.connect(address.slice('unix:'.length))
        : net.connect(Number(address.slice(address.lastIndexOf(':') + 1)), '127.0.0.1');
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TestClient(socket));
      });
    });
  }

  sendLine(value: unknown): void {
    this.socket.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  /** Resolves when the server closed the connection. */
  whenClosed(): Promise<void> {
    return waitFor('the connection to close', () => this.closed).then(() => undefined);
  }

  /** Closes from the client side and waits until the socket is fully closed. */
  async close(): Promise<void> {
    this.socket.end();
    await this.whenClosed();
  }
}
