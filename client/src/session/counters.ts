// What the collector saw on its socket, kept as plain numbers so the log, the API and the tests
// can show them. Line counters count lines; connection counters count connections.

export interface CollectorCounters {
  /** Connections accepted on the socket. */
  connections: number;
  /** Connections whose hello carried a known token. */
  authenticated: number;
  /** Connections closed because the hello's token matched no open session. */
  rejectedToken: number;
  /** Connections closed because their first line was not a valid hello. */
  rejectedHello: number;
  /** Connections closed because no line arrived in time. */
  helloTimeouts: number;
  /** Connections the other side closed before saying hello. */
  closedBeforeHello: number;
  /** Events handed to the model (hellos included). */
  events: number;
  /** Lines that were not JSON. */
  badJson: number;
  /** JSON lines that did not validate against the event schema. */
  invalidEvents: number;
  /** Events whose `pid` was not the pid the stream said hello with. */
  pidMismatch: number;
  /** Lines longer than the bound (1 MiB), discarded unread. */
  oversizeLines: number;
  /** Lines that were not valid UTF-8. */
  invalidUtf8Lines: number;
  /** Partial lines left when a stream closed. */
  truncatedLines: number;
  /** Exceptions thrown by the model while handling an event (a bug in mpscope). */
  sinkErrors: number;
}

export function emptyCounters(): CollectorCounters {
  return {
    connections: 0,
    authenticated: 0,
    rejectedToken: 0,
    rejectedHello: 0,
    helloTimeouts: 0,
    closedBeforeHello: 0,
    events: 0,
    badJson: 0,
    invalidEvents: 0,
    pidMismatch: 0,
    oversizeLines: 0,
    invalidUtf8Lines: 0,
    truncatedLines: 0,
    sinkErrors: 0,
  };
}

/** One log line, e.g. `events 120, connections 4 (authenticated 4)`; zero counters left out. */
export function formatCounters(counters: CollectorCounters): string {
  const parts = Object.entries(counters)
    .filter(([, value]) => value !== 0)
    .map(([name, value]) => `${name} ${value}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing received';
}
