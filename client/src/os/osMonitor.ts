// Polls the OS process list for the sessions that need it and hands each snapshot to the model:
// about once a second while a session runs, once more when it ends, then every few seconds while
// processes survive it. One listing serves every session; polls never overlap.
import type { Model } from '../model/model';
import type { SessionView } from '../model/session';
import type { ProcessLister } from './processLister';

export interface MonitorTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OsMonitorOptions {
  readonly model: Model;
  readonly list: ProcessLister;
  /** Between polls while a session runs. */
  readonly intervalMs?: number;
  /** Between polls while only ended sessions with survivors need one. */
  readonly survivorIntervalMs?: number;
  readonly clock?: () => number;
  readonly timers?: MonitorTimers;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

const realTimers: MonitorTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class OsMonitor {
  private timer: unknown;
  private timerDelay = 0;
  private polling: Promise<void> | undefined;
  /** Ended sessions that have had their snapshot after the end. */
  private readonly settled = new Set<string>();
  private failures = 0;
  private disposed = false;
  private readonly unsubscribe: () => void;
  private readonly intervalMs: number;
  private readonly survivorIntervalMs: number;
  private readonly clock: () => number;
  private readonly timers: MonitorTimers;

  constructor(private readonly options: OsMonitorOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.survivorIntervalMs = options.survivorIntervalMs ?? 5000;
    this.clock = options.clock ?? (() => Date.now() / 1000);
    this.timers = options.timers ?? realTimers;
    this.unsubscribe = options.model.onDidChange(() => this.wake());
  }

  /** Takes a snapshot now (after the one in progress, if any) and applies it. */
  async pollNow(): Promise<void> {
    await this.polling;
    this.cancelTimer();
    await this.poll();
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.cancelTimer();
  }

  /** Sessions a poll would serve; `running` tells whether one of them still runs. */
  private wanted(): { sessions: SessionView[]; running: boolean } {
    const sessions: SessionView[] = [];
    let running = false;
    for (const session of this.options.model.sessions()) {
      if (session.kind === 'replay') {
        continue;
      }
      if (session.endedAt === null) {
        running = true;
        sessions.push(session);
      } else if (!this.settled.has(session.id) || session.survivors().length > 0) {
        sessions.push(session);
      }
    }
    return { sessions, running };
  }

  /**
   * Schedules the next poll when a session needs one. Called on every model change (cheap while
   * a poll is already scheduled or running: a look over the list of sessions) and after every poll.
   */
  private wake(): void {
    if (this.disposed || this.polling) {
      return;
    }
    // A session that just ended gets its last look at once.
    const urgent = this.options.model.sessions().some((session) => session.kind !== 'replay' && session.endedAt !== null && !this.settled.has(session.id));
    if (this.timer !== undefined) {
      if (urgent && this.timerDelay > 0 && this.failures === 0) {
        this.cancelTimer();
        this.schedule(0);
      }
      return;
    }
    const { sessions, running } = this.wanted();
    if (sessions.length === 0) {
      return;
    }
    // After failures, slow down rather than hammer a missing `ps`.
    const delay = this.failures > 0
      ? Math.min(60_000, this.intervalMs * 2 ** Math.min(this.failures, 6))
      : urgent ? 0 : running ? this.intervalMs : this.survivorIntervalMs;
    this.schedule(delay);
  }

  private schedule(ms: number): void {
    this.timerDelay = ms;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private poll(): Promise<void> {
    if (this.disposed) {
      return Promise.resolve();
    }
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
      this.wake();
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const { sessions } = this.wanted();
    if (sessions.length === 0) {
      return;
    }
    // Which sessions had ended before the listing started: their snapshot is a look after the end.
    const endedBefore = sessions.filter((session) => session.endedAt !== null).map((session) => session.id);
    // The time the listing starts: what it shows is at least this recent, so a session that
    // ended later does not count as seen after its end.
    const t = this.clock();
    let processes;
    try {
      processes = await this.options.list();
      this.failures = 0;
    } catch (error) {
      this.failures++;
      if (this.failures === 1 || this.failures % 60 === 0) {
        this.options.log?.('warn', `cannot list the OS processes (${error instanceof Error ? error.message : String(error)}); non-Python children, zombies and survivors will not show`);
      }
      return;
    }
    const snapshot = { t, processes };
    for (const session of sessions) {
      this.options.model.observeOs(session.id, snapshot);
    }
    for (const id of endedBefore) {
      this.settled.add(id);
    }
    // Forget cleared sessions.
    for (const id of this.settled) {
      if (!this.options.model.session(id)) {
        this.settled.delete(id);
      }
    }
  }
}
