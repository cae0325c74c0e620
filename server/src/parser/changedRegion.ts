// Where a text differs from the one last parsed, after any number of edits: one range of the
// current text, everything before it unchanged and everything after it unchanged but moved by
// `delta`. Several edits merge into one range covering them all (and what lies between them).

export class ChangedRegion {
  private constructor(
    /** Start of the changed range, in the current text. */
    readonly from: number,
    /** End (exclusive) of the changed range, in the current text. */
    readonly to: number,
    /** Length of the current text minus length of the parsed one. */
    readonly delta: number,
  ) {}

  /** `[from, to)` of the text (as it is now, after `previous`) replaced by `insertedLength` units. */
  static after(previous: ChangedRegion | undefined, from: number, to: number, insertedLength: number): ChangedRegion {
    const change = insertedLength - (to - from);
    if (previous === undefined) return new ChangedRegion(from, from + insertedLength, change);
    // The earlier range, in the text after this edit.
    const earlierTo = previous.to <= from ? previous.to : previous.to >= to ? previous.to + change : from + insertedLength;
    return new ChangedRegion(Math.min(previous.from, from), Math.max(earlierTo, from + insertedLength), previous.delta + change);
  }

  /** The offset `[from, to)` had in the parsed text, when that range lies wholly outside the change. */
  parsedRange(from: number, to: number): { from: number; to: number } | undefined {
    if (to <= this.from) return { from, to };
    if (from >= this.to) return { from: from - this.delta, to: to - this.delta };
    return undefined;
  }
}
