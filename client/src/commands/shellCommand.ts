// A command line for the integrated terminal's shell. Arguments are quoted for the shell that
// will read them: POSIX shells (bash, zsh, sh…), fish, PowerShell and cmd.exe differ in which
// characters are special and in how quotes are escaped.

export type ShellKind = 'posix' | 'fish' | 'powershell' | 'cmd';

/** The kind of shell behind a path such as `/bin/zsh` or `C:\…\pwsh.exe`. */
export function shellKindFor(shellPath: string | undefined, platform: NodeJS.Platform): ShellKind {
  const name = (shellPath ?? '').split(/[\\/]/).pop()?.toLowerCase().replace(/\.exe$/, '') ?? '';
  if (name === 'pwsh' || name === 'powershell' || name === 'pwsh-preview') {
    return 'powershell';
  }
  if (name === 'cmd') {
    return 'cmd';
  }
  if (name === 'fish') {
    return 'fish';
  }
  if (name === '') {
    return platform === 'win32' ? 'powershell' : 'posix';
  }
  return 'posix';
}

// `=` may not lead (zsh expands `=cmd`); `^`, `~`, `*`, `?`, `[`, `{` and `!` never pass.
const POSIX_SAFE = /^[A-Za-z0-9_\-+.,/:@%][A-Za-z0-9_\-+.,/:=@%]*$/;
const POWERSHELL_SAFE = /^(?:--?[A-Za-z][A-Za-z0-9-]*|[A-Za-z0-9_.\/:\\][A-Za-z0-9_\-.\/:\\]*)$/;
const CMD_SAFE = /^[A-Za-z0-9_\-+.,/:=@\\]+$/;

export function quoteArgument(argument: string, shell: ShellKind): string {
  switch (shell) {
    case 'posix':
      return POSIX_SAFE.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
    case 'fish':
      // Inside fish's single quotes, backslash escapes a quote and itself.
      return POSIX_SAFE.test(argument) ? argument : `'${argument.replace(/[\\']/g, '\\$&')}'`;
    case 'powershell':
      // PowerShell treats the typographic single quotes as quotes too; doubling escapes them.
      return POWERSHELL_SAFE.test(argument) ? argument : `'${argument.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
    case 'cmd':
      return quoteForCmd(argument);
  }
}

function quoteForCmd(argument: string): string {
  if (CMD_SAFE.test(argument)) {
    return argument;
  }
  // cmd expands %VAR% even inside quotes; outside quotes `^%` keeps a literal percent sign.
  return `"${argument.replace(/"/g, '""').replace(/%/g, '"^%"')}"`;
}

/** The whole command line; PowerShell needs the call operator before a quoted program. */
export function commandLine(argv: readonly string[], shell: ShellKind): string {
  const quoted = argv.map((argument) => quoteArgument(argument, shell));
  const line = quoted.join(' ');
  return shell === 'powershell' ? `& ${line}` : line;
}
