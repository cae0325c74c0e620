// Offsets ↔ (line, character) for one text. Lines and characters are 0-based and characters
// count UTF-16 code units, which is what LSP positions use by default.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export class LineIndex {
  /** Offset where each line starts; lines end at `\n`, `\r\n` or a lone `\r`, as in Python. */
  private readonly lineStarts: number[];

  /** `lineStarts`: already known (see `afterChange`). */
  constructor(
    readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts !== undefined) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    scanLineStarts(text, 0, text.length, starts);
    this.lineStarts = starts;
  }

  /**
   * The index of `text`, made from `previous` (the index of the text before a change) when
   * `[from, to)` of `text` is all that differs, the rest moved by `delta`: only the changed lines
   * are scanned.
   */
  static afterChange(previous: LineIndex, text: string, from: number, to: number, delta: number): LineIndex {
    const old = previous.lineStarts;
    // Starts before `from` depend only on text before it (a line starts after its break).
    const starts: number[] = [0];
    for (let index = 1; index < old.length && old[index] < from; index++) starts.push(old[index]);
    // Scan from the break that may end at `from`, through one unit past the change (a `\r\n` pair
    // may straddle its end), then take the old starts after that, moved.
    const scanFrom = Math.max(0, from - 1);
    const scanTo = Math.min(text.length, to + 1);
    scanLineStarts(text, scanFrom, scanTo, starts);
    const last = starts[starts.length - 1];
    for (const start of old) if (start + delta > last && start + delta > scanTo) starts.push(start + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  lineStart(line: number): number {
    return this.lineStarts[line];
  }

  /** Offset of the end of the line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** The leading whitespace of a line. */
  indentation(line: number): string {
    const text = this.lineText(line);
    const match = /^[ \t\f]*/.exec(text);
    return match ? match[0] : '';
  }

  /** Column (in code units) of an offset within its line. */
  column(offset: number): number {
    return offset - this.lineStarts[this.lineOf(offset)];
  }

  /** The file's first line break (files rarely mix them); `\n` when it has none. */
  get eol(): string {
    const match = /\r\n|\n|\r/.exec(this.text);
    return match ? match[0] : '\n';
  }
}

/** Pushes the start of every line whose break ends in `[from, to)` (a `\r\n` starting there counts whole). */
function scanLineStarts(text: string, from: number, to: number, starts: number[]): void {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 /* \n */) {
      if (starts[starts.length - 1] !== i + 1) starts.push(i + 1);
    } else if (code === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      if (starts[starts.length - 1] !== i + 1) starts.push(i + 1);
    }
  }
}
