// A small TOML 1.0 reader, enough to read any `pyproject.toml` correctly: mpscope only needs a
// few keys of `[tool.mpscope]`, but the rest of the file belongs to other tools and must not be
// misread (a multi-line string in `[tool.black]` must not end the file early, a date must not be
// an error). Errors carry the 1-based line and column so that users can fix the file.
//
// Values: strings, numbers, booleans, arrays and tables; dates and times are kept as their text
// (`TomlDateTime`), which nothing here needs to interpret.

export type TomlValue = string | number | boolean | TomlDateTime | TomlValue[] | TomlTable;

export interface TomlTable {
  [key: string]: TomlValue;
}

/** An offset date-time, local date-time, local date or local time, as written. */
export class TomlDateTime {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export class TomlError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based, in characters. */
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'TomlError';
  }
}

export interface TomlPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
}

export interface TomlDocument {
  readonly root: TomlTable;
  /** Where `key` of `table` was written (its key, or its `[header]`), for messages about its value. */
  positionOf(table: TomlTable, key: string): TomlPosition | undefined;
}

export function readToml(text: string): TomlDocument {
  return new TomlReader(text).read();
}

export function parseToml(text: string): TomlTable {
  return readToml(text).root;
}

export function isTomlTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDateTime);
}

/** How a table came to exist, which decides whether it may be defined or extended again. */
const enum TableOrigin {
  /** Created on the way to a deeper header (`[a.b]` creates `a`): may still get its own header. */
  Implicit,
  /** Has its own `[header]`. */
  Header,
  /** Created by a dotted key (`a.b = 1`): more dotted keys may add to it, headers may not. */
  DottedKey,
  /** `{ ... }` or a value of an array: closed. */
  Closed,
}

const BARE_KEY = /[A-Za-z0-9_-]/;
const DATE_TIME =
  /^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)/;
const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\u001b' };

class TomlReader {
  private offset = 0;
  private readonly origins = new WeakMap<TomlTable, TableOrigin>();
  /** Arrays made by `[[header]]` (only those may be appended to by another `[[header]]`). */
  private readonly tableArrays = new WeakSet<TomlValue[]>();
  /** Offset of each key's definition, by table. */
  private readonly keyOffsets = new WeakMap<TomlTable, Map<string, number>>();

  constructor(private readonly text: string) {}

  read(): TomlDocument {
    const root = this.document();
    return {
      root,
      positionOf: (table, key) => {
        const offset = this.keyOffsets.get(table)?.get(key);
        return offset === undefined ? undefined : this.positionAt(offset);
      },
    };
  }

  private remember(table: TomlTable, key: string, offset: number): void {
    let offsets = this.keyOffsets.get(table);
    if (offsets === undefined) {
      offsets = new Map();
      this.keyOffsets.set(table, offsets);
    }
    if (!offsets.has(key)) offsets.set(key, offset);
  }

  private document(): TomlTable {
    const root: TomlTable = {};
    this.origins.set(root, TableOrigin.Header);
    let current = root;
    for (;;) {
      this.skipBlankLinesAndComments();
      if (this.offset >= this.text.length) return root;
      const char = this.text[this.offset];
      if (char === '[') {
        current = this.tableHeader(root);
      } else {
        this.keyValue(current);
      }
      this.endOfLine();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Structure

  private tableHeader(root: TomlTable): TomlTable {
    const isArray = this.text.startsWith('[[', this.offset);
    const start = this.offset;
    this.offset += isArray ? 2 : 1;
    this.skipSpaces();
    const keys = this.key();
    this.skipSpaces();
    if (!this.text.startsWith(isArray ? ']]' : ']', this.offset)) {
      throw this.error(isArray ? "expected ']]' to close the array-of-tables header" : "expected ']' to close the table header");
    }
    this.offset += isArray ? 2 : 1;
    let table = root;
    for (let i = 0; i < keys.length - 1; i++) table = this.descend(table, keys[i], start, true);
    const last = keys[keys.length - 1];
    const existing = table[last];
    this.remember(table, last, start);
    if (isArray) {
      if (existing === undefined) {
        const array: TomlValue[] = [];
        this.tableArrays.add(array);
        table[last] = array;
      } else if (!Array.isArray(existing) || !this.tableArrays.has(existing)) {
        throw this.errorAt(start, `'${keys.join('.')}' is already defined and is not an array of tables`);
      }
      const entry: TomlTable = {};
      this.origins.set(entry, TableOrigin.Header);
      (table[last] as TomlValue[]).push(entry);
      return entry;
    }
    if (existing === undefined) {
      const entry: TomlTable = {};
      this.origins.set(entry, TableOrigin.Header);
      table[last] = entry;
      return entry;
    }
    if (isTomlTable(existing) && this.origins.get(existing) === TableOrigin.Implicit) {
      this.origins.set(existing, TableOrigin.Header);
      return existing;
    }
    throw this.errorAt(start, `table [${keys.join('.')}] is defined more than once`);
  }

  /** The sub-table `key` of `table` on the way to a header or a dotted key, created if missing. */
  private descend(table: TomlTable, key: string, at: number, forHeader: boolean): TomlTable {
    const existing = table[key];
    if (existing === undefined) {
      const created: TomlTable = {};
      this.origins.set(created, forHeader ? TableOrigin.Implicit : TableOrigin.DottedKey);
      this.remember(table, key, at);
      table[key] = created;
      return created;
    }
    if (forHeader && Array.isArray(existing) && this.tableArrays.has(existing)) {
      // `[fruit.variety]` after `[[fruit]]` extends the last element.
      return existing[existing.length - 1] as TomlTable;
    }
    if (isTomlTable(existing)) {
      const origin = this.origins.get(existing);
      if (origin === TableOrigin.Closed) throw this.errorAt(at, `'${key}' is an inline table and cannot be extended`);
      if (!forHeader && origin === TableOrigin.Header) {
        throw this.errorAt(at, `'${key}' is a table defined by a header and cannot be extended with dotted keys here`);
      }
      return existing;
    }
    throw this.errorAt(at, `'${key}' is already defined as a value, not a table`);
  }

  private keyValue(table: TomlTable): void {
    const start = this.offset;
    const keys = this.key();
    this.skipSpaces();
    if (this.text[this.offset] !== '=') throw this.error(`expected '=' after the key '${keys.join('.')}'`);
    this.offset++;
    this.skipSpaces();
    const value = this.value();
    let target = table;
    for (let i = 0; i < keys.length - 1; i++) target = this.descend(target, keys[i], start, false);
    const last = keys[keys.length - 1];
    if (Object.prototype.hasOwnProperty.call(target, last)) throw this.errorAt(start, `key '${keys.join('.')}' is defined more than once`);
    target[last] = value;
    this.remember(target, last, start);
  }

  /** A possibly dotted key: `a`, `"a b".c`, `'x'`. */
  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const char = this.text[this.offset];
      if (char === '"') {
        if (this.text.startsWith('"""', this.offset)) throw this.error('a key cannot be a multi-line string');
        parts.push(this.basicString());
      } else if (char === "'") {
        if (this.text.startsWith("'''", this.offset)) throw this.error('a key cannot be a multi-line string');
        parts.push(this.literalString());
      } else {
        const start = this.offset;
        while (this.offset < this.text.length && BARE_KEY.test(this.text[this.offset])) this.offset++;
        if (this.offset === start) throw this.error(char === undefined || char === '\n' || char === '\r' ? 'expected a key' : `unexpected '${char}' where a key should be`);
        parts.push(this.text.slice(start, this.offset));
      }
      this.skipSpaces();
      if (this.text[this.offset] !== '.') return parts;
      this.offset++;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Values

  private value(): TomlValue {
    const char = this.text[this.offset];
    switch (char) {
      case '"':
        return this.text.startsWith('"""', this.offset) ? this.multilineBasicString() : this.basicString();
      case "'":
        return this.text.startsWith("'''", this.offset) ? this.multilineLiteralString() : this.literalString();
      case '[':
        return this.array();
      case '{':
        return this.inlineTable();
      case 't':
      case 'f':
        return this.boolean();
      case undefined:
      case '\n':
      case '\r':
      case '#':
        throw this.error('expected a value');
      default:
        return this.numberOrDate();
    }
  }

  private boolean(): boolean {
    for (const [word, value] of [
      ['true', true],
      ['false', false],
    ] as const) {
      if (this.text.startsWith(word, this.offset) && !BARE_KEY.test(this.text[this.offset + word.length] ?? '')) {
        this.offset += word.length;
        return value;
      }
    }
    throw this.error(`unexpected '${this.wordAhead()}'; strings must be quoted`);
  }

  private numberOrDate(): number | TomlDateTime {
    const rest = this.text.slice(this.offset, this.offset + 64);
    const date = DATE_TIME.exec(rest);
    if (date && (date[0].length > 5 || date[0].includes(':'))) {
      if (!validDateTime(date[0])) throw this.error(`invalid date or time '${date[0]}'`);
      this.offset += date[0].length;
      return new TomlDateTime(date[0]);
    }
    const special = /^[+-]?(?:inf|nan)(?![A-Za-z0-9_])/.exec(rest);
    if (special) {
      this.offset += special[0].length;
      const negative = special[0].startsWith('-');
      if (special[0].endsWith('nan')) return Number.NaN;
      return negative ? -Infinity : Infinity;
    }
    const radix = /^0([xob])([0-9A-Fa-f_]+)/.exec(rest);
    if (radix) {
      const base = radix[1] === 'x' ? 16 : radix[1] === 'o' ? 8 : 2;
      const digits = radix[2];
      const valid = base === 16 ? /^[0-9A-Fa-f]+(?:_[0-9A-Fa-f]+)*$/ : base === 8 ? /^[0-7]+(?:_[0-7]+)*$/ : /^[01]+(?:_[01]+)*$/;
      if (!valid.test(digits)) throw this.error(`invalid number '${radix[0]}'`);
      this.offset += radix[0].length;
      return parseInt(digits.replace(/_/g, ''), base);
    }
    const decimal = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?/.exec(rest);
    if (decimal && decimal[0].length > 0 && /[0-9]/.test(decimal[0])) {
      const after = this.text[this.offset + decimal[0].length] ?? '';
      if (!/[A-Za-z0-9_.]/.test(after)) {
        this.offset += decimal[0].length;
        return Number(decimal[0].replace(/_/g, ''));
      }
    }
    throw this.error(`unexpected '${this.wordAhead()}'; expected a value (strings must be quoted)`);
  }

  private array(): TomlValue[] {
    this.offset++;
    const items: TomlValue[] = [];
    for (;;) {
      this.skipBlankLinesAndComments();
      if (this.text[this.offset] === ']') {
        this.offset++;
        return items;
      }
      if (this.offset >= this.text.length) throw this.error("unterminated array: expected ']'");
      const item = this.value();
      if (isTomlTable(item)) this.origins.set(item, TableOrigin.Closed);
      items.push(item);
      this.skipBlankLinesAndComments();
      const char = this.text[this.offset];
      if (char === ',') {
        this.offset++;
      } else if (char !== ']') {
        throw this.error(char === undefined ? "unterminated array: expected ']'" : `expected ',' or ']' in an array, found '${char}'`);
      }
    }
  }

  private inlineTable(): TomlTable {
    this.offset++;
    const table: TomlTable = {};
    this.skipSpaces();
    if (this.text[this.offset] === '}') {
      this.offset++;
      this.origins.set(table, TableOrigin.Closed);
      return table;
    }
    for (;;) {
      this.skipSpaces();
      this.keyValue(table);
      this.skipSpaces();
      const char = this.text[this.offset];
      if (char === ',') {
        this.offset++;
        continue;
      }
      if (char === '}') {
        this.offset++;
        this.origins.set(table, TableOrigin.Closed);
        return table;
      }
      throw this.error(
        char === '\n' || char === '\r' || char === undefined
          ? "an inline table must close with '}' on the same line"
          : `expected ',' or '}' in an inline table, found '${char}'`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Strings

  private basicString(): string {
    const start = this.offset;
    this.offset++;
    let value = '';
    for (;;) {
      const char = this.text[this.offset];
      if (char === undefined || char === '\n' || char === '\r') throw this.errorAt(start, 'unterminated string');
      if (char === '"') {
        this.offset++;
        return value;
      }
      if (char === '\\') {
        value += this.escape();
        continue;
      }
      this.checkControl(char);
      value += char;
      this.offset++;
    }
  }

  private multilineBasicString(): string {
    const start = this.offset;
    this.offset += 3;
    this.skipNewlineOnce();
    let value = '';
    for (;;) {
      if (this.offset >= this.text.length) throw this.errorAt(start, 'unterminated multi-line string');
      if (this.text.startsWith('"""', this.offset)) {
        // Up to two quotes may end the content right before the closing delimiter.
        let quotes = 3;
        while (quotes < 5 && this.text[this.offset + quotes] === '"') quotes++;
        value += '"'.repeat(quotes - 3);
        this.offset += quotes;
        return value;
      }
      const char = this.text[this.offset];
      if (char === '\\') {
        // A backslash at the end of a line trims the line break and the whitespace after it.
        const trimmed = /^\\[ \t]*(?:\r?\n)[ \t\r\n]*/.exec(this.text.slice(this.offset, this.offset + 4096));
        if (trimmed) {
          this.offset += trimmed[0].length;
          continue;
        }
        value += this.escape();
        continue;
      }
      if (char === '\r' && this.text[this.offset + 1] === '\n') {
        value += '\n';
        this.offset += 2;
        continue;
      }
      if (char !== '\n') this.checkControl(char);
      value += char;
      this.offset++;
    }
  }

  private literalString(): string {
    const start = this.offset;
    this.offset++;
    const end = this.text.indexOf("'", this.offset);
    const newline = this.text.slice(this.offset, end < 0 ? undefined : end).search(/[\r\n]/);
    if (end < 0 || newline >= 0) throw this.errorAt(start, 'unterminated string');
    const value = this.text.slice(this.offset, end);
    for (const char of value) this.checkControl(char);
    this.offset = end + 1;
    return value;
  }

  private multilineLiteralString(): string {
    const start = this.offset;
    this.offset += 3;
    this.skipNewlineOnce();
    const end = this.text.indexOf("'''", this.offset);
    if (end < 0) throw this.errorAt(start, 'unterminated multi-line string');
    let close = end + 3;
    while (close < end + 5 && this.text[close] === "'") close++;
    const value = this.text.slice(this.offset, close - 3).replace(/\r\n/g, '\n');
    this.offset = close;
    return value;
  }

  private escape(): string {
    const at = this.offset;
    const kind = this.text[this.offset + 1];
    if (kind === 'u' || kind === 'U') {
      const length = kind === 'u' ? 4 : 8;
      const hex = this.text.slice(this.offset + 2, this.offset + 2 + length);
      if (!new RegExp(`^[0-9A-Fa-f]{${length}}$`).test(hex)) throw this.errorAt(at, `invalid escape '\\${kind}${hex}'`);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw this.errorAt(at, `invalid Unicode scalar '\\${kind}${hex}'`);
      this.offset += 2 + length;
      return String.fromCodePoint(code);
    }
    const replacement = kind === undefined ? undefined : ESCAPES[kind];
    if (replacement === undefined) throw this.errorAt(at, `invalid escape '\\${kind ?? ''}'`);
    this.offset += 2;
    return replacement;
  }

  private checkControl(char: string): void {
    const code = char.charCodeAt(0);
    if ((code < 0x20 && char !== '\t') || code === 0x7f) {
      throw this.error(`control character U+${code.toString(16).padStart(4, '0').toUpperCase()} must be escaped`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Whitespace

  private skipSpaces(): void {
    while (this.text[this.offset] === ' ' || this.text[this.offset] === '\t') this.offset++;
  }

  private skipComment(): void {
    if (this.text[this.offset] !== '#') return;
    this.offset++;
    while (this.offset < this.text.length && this.text[this.offset] !== '\n') {
      if (this.text[this.offset] === '\r' && this.text[this.offset + 1] === '\n') return;
      this.checkControl(this.text[this.offset]);
      this.offset++;
    }
  }

  private skipNewlineOnce(): void {
    if (this.text[this.offset] === '\n') this.offset++;
    else if (this.text.startsWith('\r\n', this.offset)) this.offset += 2;
  }

  private skipBlankLinesAndComments(): void {
    for (;;) {
      this.skipSpaces();
      this.skipComment();
      const before = this.offset;
      this.skipNewlineOnce();
      if (this.offset === before) return;
    }
  }

  /** After a header or key/value pair only a comment may follow on the line. */
  private endOfLine(): void {
    this.skipSpaces();
    this.skipComment();
    if (this.offset >= this.text.length) return;
    const before = this.offset;
    this.skipNewlineOnce();
    if (this.offset === before) throw this.error(`unexpected '${this.wordAhead()}' after a value; expected the end of the line`);
  }

  // -------------------------------------------------------------------------------------------
  // Errors

  private wordAhead(): string {
    const match = /^[^\s,\]}#]{1,20}/.exec(this.text.slice(this.offset, this.offset + 20));
    return match ? match[0] : (this.text[this.offset] ?? '');
  }

  private error(reason: string): TomlError {
    return this.errorAt(this.offset, reason);
  }

  private errorAt(offset: number, reason: string): TomlError {
    const { line, column } = this.positionAt(offset);
    return new TomlError(reason, line, column);
  }

  private positionAt(offset: number): TomlPosition {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line, column: Array.from(before.slice(lineStart)).length + 1 };
  }
}

/** Whether the fields of a date-time literal are in range (months, days of that month, hours…). */
function validDateTime(text: string): boolean {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    if (days === undefined || day < 1 || day > days) return false;
  }
  const time = /(?:^|[Tt ])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (time && (Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3] ?? 0) > 60)) return false;
  const offset = /[+-](\d{2}):(\d{2})$/.exec(text.slice(10));
  return !(offset && (Number(offset[1]) > 23 || Number(offset[2]) > 59));
}
