// Splits a byte stream into UTF-8 lines with a bound on each line's size. A line longer than the
// bound is skipped up to its newline without being kept in memory, so a misbehaving (or hostile)
// writer cannot make the extension buffer without limit.

export const MAX_LINE_BYTES = 1024 * 1024;

export type LineDropReason =
  /** Longer than the bound; the bytes were discarded as they arrived. */
  | 'oversize'
  /** Not valid UTF-8. */
  | 'invalid-utf8'
  /** The stream ended in the middle of a line. */
  | 'truncated';

export interface LineSink {
  line(text: string): void;
  drop(reason: LineDropReason): void;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = '\r';

export class LineDecoder {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of an oversize line. */
  private discarding = false;
  private stopped = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number = MAX_LINE_BYTES,
  ) {}

  /** Feeds bytes; complete lines go to the sink before this returns. */
  push(chunk: Uint8Array): void {
    let start = 0;
    while (!this.stopped && start <= chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.finishLine(chunk.subarray(start, newline));
      start = newline + 1;
    }
  }

  /** The stream closed: a partial line left over is reported as truncated. */
  end(): void {
    if (!this.stopped && this.pendingBytes > 0) {
      this.sink.drop('truncated');
    }
    this.stop();
  }

  /** Ignores everything from now on (e.g. after the connection was rejected). */
  stop(): void {
    this.stopped = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private keep(bytes: Uint8Array): void {
    if (this.discarding || bytes.length === 0) {
      return;
    }
    if (this.pendingBytes + bytes.length > this.maxLineBytes) {
      // Reported now, not at the newline that may never come, so a stream that has not yet
      // authenticated can be closed at once.
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
      this.sink.drop('oversize');
      return;
    }
    // Copy: the socket may reuse its buffer, and a copy keeps only the line's bytes alive.
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
  }

  private finishLine(tail: Uint8Array): void {
    if (this.discarding) {
      this.discarding = false; // the oversize line ends here; it was reported when it overflowed
      return;
    }
    if (this.pendingBytes + tail.length > this.maxLineBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      this.sink.drop('oversize');
      return;
    }
    const bytes = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail]);
    this.pending = [];
    this.pendingBytes = 0;
    let text: string;
    try {
      text = this.utf8.decode(bytes);
    } catch {
      this.sink.drop('invalid-utf8');
      return;
    }
    if (text.endsWith(CARRIAGE_RETURN)) {
      text = text.slice(0, -1);
    }
    if (text.length > 0) {
      this.sink.line(text);
    }
  }
}
