// Ties the socket to the model: a session in the model gets a token on the socket, and every
// validated event or closed stream of that token goes to that session. The socket starts on
// the first session, so activating the extension opens nothing.
import type { Model, NewSession } from '../model/model';
import { CollectorCounters, emptyCounters, formatCounters } from './counters';
import { Logger, SessionCredentials, SessionServer, SessionServerOptions } from './sessionServer';

export class Collector {
  private server: Promise<SessionServer> | undefined;
  /** The server once it listens (for synchronous questions such as its private directory). */
  private listening: SessionServer | undefined;
  private disposed = false;

  constructor(
    private readonly model: Model,
    private readonly options: SessionServerOptions = {},
  ) {}

  /** Opens a session in the model and returns what its processes need in their environment. */
  async startSession(init: NewSession): Promise<SessionCredentials> {
    const server = await this.ensureServer();
    const sessionId = this.model.openSession(init);
    return server.openSession(sessionId);
  }

  endSession(sessionId: string): void {
    this.model.endSession(sessionId);
  }

  /** Removes a session from the model and closes whatever streams it still has. */
  async clearSession(sessionId: string): Promise<void> {
    this.model.removeSession(sessionId);
    if (this.server) {
      (await this.server).closeSession(sessionId);
    }
  }

  /** Requests back to a process (e.g. a stack dump); false when it has no open stream. */
  async send(sessionId: string, pid: number, message: object): Promise<boolean> {
    return this.server ? (await this.server).send(sessionId, pid, message) : false;
  }

  /** The socket's private directory, where processes write their stack dumps (POSIX, once listening). */
  stacksDir(): string | undefined {
    return this.listening?.privateDir;
  }

  /** Counters of the socket, all zero before the first session. */
  async counters(): Promise<CollectorCounters> {
    return this.server ? { ...(await this.server).counters } : emptyCounters();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    if (server) {
      await (await server.catch(() => undefined))?.dispose();
    }
  }

  private ensureServer(): Promise<SessionServer> {
    if (this.disposed) {
      return Promise.reject(new Error('the mpscope collector was shut down'));
    }
    if (!this.server) {
      const log: Logger = this.options.log ?? (() => undefined);
      const starting = SessionServer.start(
        {
          event: (sessionId, event) => {
            this.model.ingest(sessionId, event);
          },
          streamClosed: (sessionId, pid, t) => {
            const wasOpen = this.model.session(sessionId)?.endedAt === null;
            this.model.streamClosed(sessionId, pid, t);
            if (wasOpen && this.model.session(sessionId)?.endedAt !== null) {
              void this.counters().then((counters) =>
                log('info', `session ${sessionId} ended; collector so far: ${formatCounters(counters)}`));
            }
          },
        },
        this.options,
      );
      this.server = starting;
      starting.then(
        (server) => {
          this.listening = server;
          log('info', `collector listening on ${server.address}`);
        },
        (error: unknown) => {
          // Let the next session try again (e.g. after the temp dir became writable).
          this.server = undefined;
          log('error', `collector could not listen: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    }
    return this.server;
  }
}
