// Decoding of one Python string literal token (`'…'`, `r"…"`, `b'''…'''`). Rules compare
// literal values (`"__main__"`, `get_context("spawn")`), so the value must be exact or absent:
// anything this decoder is unsure about yields undefined rather than a guess.

export interface DecodedString {
  readonly value: string | undefined;
  readonly isBytes: boolean;
  readonly isFormat: boolean;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function decodeStringLiteral(token: string): DecodedString {
  const prefixMatch = /^[A-Za-z]*/.exec(token);
  const prefix = (prefixMatch ? prefixMatch[0] : '').toLowerCase();
  const isBytes = prefix.includes('b');
  const isFormat = prefix.includes('f');
  const isRaw = prefix.includes('r');
  const rest = token.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  if (isFormat || (quote !== '"' && quote !== "'" && quote !== '"""' && quote !== "'''")) {
    return { value: undefined, isBytes, isFormat };
  }
  // An unterminated literal (the user is typing) has no trustworthy value.
  if (rest.length < quote.length * 2 || !rest.endsWith(quote)) return { value: undefined, isBytes, isFormat };
  const body = rest.slice(quote.length, rest.length - quote.length);
  if (isRaw) return { value: body, isBytes, isFormat };
  return { value: unescape(body, isBytes), isBytes, isFormat };
}

function unescape(body: string, isBytes: boolean): string | undefined {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if (next === '\r' && body[i + 2] === '\n') {
      i += 2;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
      continue;
    }
    if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(digits, 8));
      i += digits.length;
      continue;
    }
    const hexLength = next === 'x' ? 2 : !isBytes && next === 'u' ? 4 : !isBytes && next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const digits = body.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(digits)) return undefined;
      const codePoint = parseInt(digits, 16);
      if (codePoint > 0x10ffff) return undefined;
      out += String.fromCodePoint(codePoint);
      i += 1 + hexLength;
      continue;
    }
    // `\N{NAME}` needs the Unicode name table; unknown escapes keep the backslash in Python,
    // but a literal relying on that is unusual enough not to be worth a guess.
    return undefined;
  }
  return out;
}
