// The `envFile` of a Python launch configuration (a `.env` file), read the way the Python
// extension reads it, so mpscope sees the PYTHONPATH the debuggee would get: `KEY=value` lines,
// optional `export`, `#` comments, single quotes (literal), double quotes (with \n escapes) and
// `${NAME}` references to earlier keys or to the base environment.

export type EnvValues = Record<string, string>;

const LINE = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;

/**
 * Parses the text of an env file. `base` resolves `${NAME}` references to names the file did not
 * define (the launch configuration's `env`, then the process environment); unknown names
 * expand to nothing.
 */
export function parseEnvFile(text: string, base: (name: string) => string | undefined = () => undefined): EnvValues {
  const values: EnvValues = {};
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) {
      continue;
    }
    const match = LINE.exec(line);
    if (!match) {
      continue;
    }
    const [, key, raw] = match;
    const lookup = (name: string): string => values[name] ?? base(name) ?? '';
    values[key] = parseValue(raw, lookup);
  }
  return values;
}

function parseValue(raw: string, lookup: (name: string) => string): string {
  const quote = raw.charAt(0);
  if (quote === "'" || quote === '"') {
    const end = raw.indexOf(quote, 1);
    if (end > 0) {
      const inner = raw.slice(1, end);
      return quote === "'" ? inner : substitute(inner.replace(/\\n/g, '\n'), lookup);
    }
  }
  // Unquoted: a ` #` starts a comment.
  const comment = raw.search(/\s#/);
  return substitute((comment >= 0 ? raw.slice(0, comment) : raw).trim(), lookup);
}

/** `${NAME}` → its value; `\$` keeps a literal dollar sign. */
function substitute(value: string, lookup: (name: string) => string): string {
  return value.replace(/\\\$|\$\{([A-Za-z_]\w*)\}/g, (_match: string, name: string | undefined) =>
    name === undefined ? '$' : lookup(name));
}
