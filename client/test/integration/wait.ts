// Waiting on conditions: the tests poll real state until it holds, never sleep a fixed time.

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value other than undefined, and returns that value. On
 * timeout the error names what was awaited and the last thing seen (from `describeLast`), so a
 * failure says why instead of only that it waited.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: WaitOptions & { describeLast?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      // A probe may throw while the state is still settling; the last error is reported.
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const details = [
        options.describeLast ? `last seen: ${options.describeLast()}` : '',
        lastError ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '',
      ].filter(Boolean);
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${details.length ? `\n${details.join('\n')}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
