// Glob patterns of `exclude` and `per-file-ignores`, matched against paths relative to the
// folder of the pyproject.toml that declares them, with `/` separators on every platform.
//
//   *      any characters within one path segment     **   any number of whole segments
//   ?      one character within a segment             [abc], [a-z], [!abc]   one character of a set
//   {a,b}  either alternative
//
// A pattern without `/` matches a file or folder name at any depth (`build`, `*_pb2.py`), as in
// .gitignore; a pattern with `/` is anchored at the config's folder (`tests/**/*.py`). A pattern
// that matches a folder matches everything in it.

export class GlobPattern {
  private readonly regex: RegExp;

  constructor(readonly source: string) {
    let pattern = source.replace(/\\/g, '/');
    if (pattern.startsWith('./')) pattern = pattern.slice(2);
    if (pattern.endsWith('/')) pattern = pattern.slice(0, -1);
    const anchored = pattern.includes('/');
    if (pattern.startsWith('/')) pattern = pattern.slice(1);
    this.regex = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${translate(pattern)}$`, 'u');
  }

  /** Whether `relativePath` (or a folder it is inside) matches. */
  matches(relativePath: string): boolean {
    const normalized = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
    if (normalized === '' || normalized.startsWith('../') || normalized === '..') return false;
    const segments = normalized.split('/');
    for (let count = segments.length; count > 0; count--) {
      if (this.regex.test(segments.slice(0, count).join('/'))) return true;
    }
    return false;
  }
}

/** Why a pattern is malformed, or undefined when it is fine. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'an empty pattern matches nothing';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) return `'[' at position ${i + 1} has no closing ']'`;
      i = close;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      if (depth === 0) return `'}' at position ${i + 1} has no opening '{'`;
      depth--;
    }
  }
  return depth > 0 ? "'{' has no closing '}'" : undefined;
}

function translate(pattern: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const atStart = i === 0 || pattern[i - 1] === '/';
        const atEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches zero or more whole segments; a final `**` matches anything below.
          if (i + 2 === pattern.length) out += '.*';
          else {
            out += '(?:[^/]*/)*';
            i++;
          }
          i++;
          continue;
        }
      }
      while (pattern[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      body = body.replace(/[\\\]^]/g, (special) => `\\${special}`);
      out += negated ? `[^/${body}]` : `[${body}]`;
      i = close;
    } else if (char === '{') {
      braces++;
      out += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (char === ',' && braces > 0) {
      out += '|';
    } else {
      out += char.replace(/[.+^$(){}|\\/]/g, (special) => `\\${special}`);
    }
  }
  return out + ')'.repeat(braces);
}
