// Signal names for negative exit codes (multiprocessing reports "killed by signal N" as -N).
// The default table holds the signals whose numbers are the same on Linux and macOS (POSIX
// fixes most of them); the extension adds the host's own table from os.constants.signals.

export type SignalTable = ReadonlyMap<number, string>;

export const PORTABLE_SIGNALS: SignalTable = new Map([
  [1, 'SIGHUP'],
  [2, 'SIGINT'],
  [3, 'SIGQUIT'],
  [4, 'SIGILL'],
  [5, 'SIGTRAP'],
  [6, 'SIGABRT'],
  [8, 'SIGFPE'],
  [9, 'SIGKILL'],
  [11, 'SIGSEGV'],
  [13, 'SIGPIPE'],
  [14, 'SIGALRM'],
  [15, 'SIGTERM'],
]);

/** A table from a `{ SIGKILL: 9, … }` object such as Node's os.constants.signals. */
export function signalTableFrom(numbers: Readonly<Record<string, number>>): SignalTable {
  const table = new Map(PORTABLE_SIGNALS);
  for (const [name, number] of Object.entries(numbers)) {
    // Aliases (SIGIOT = SIGABRT, SIGPOLL = SIGIO) must not replace the usual name.
    if (!table.has(number) && /^SIG[A-Z0-9]+$/.test(name)) {
      table.set(number, name);
    }
  }
  return table;
}

/** The signal behind an exit code, or null when the code does not mean a signal. */
export function signalForExitCode(exitcode: number | null, table: SignalTable = PORTABLE_SIGNALS): string | null {
  if (exitcode === null || exitcode >= 0) {
    return null;
  }
  return table.get(-exitcode) ?? null;
}
