// A minimal sequential test runner for the extension host. Mocha would work too, but the tests
// need only names, order, a timeout each and a clear report; console.log reaches the terminal
// that started code-server (through the workbench's codeAutomationLog).

export interface IntegrationTest {
  readonly name: string;
  /** Per-test limit; generous because a cold extension host and Python start-up are slow. */
  readonly timeoutMs?: number;
  readonly run: () => Promise<void>;
}

const defaultTimeoutMs = 120_000;

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs the tests one after the other; resolves when all passed, throws a summary otherwise. */
export async function runTests(suiteName: string, allTests: readonly IntegrationTest[]): Promise<void> {
  // MPSCOPE_TEST_GREP=text runs only the tests whose name contains it (while working on them).
  const grep = process.env.MPSCOPE_TEST_GREP;
  const tests = grep ? allTests.filter((test) => test.name.includes(grep)) : allTests;
  const failures: string[] = [];
  const started = Date.now();
  console.log(`${suiteName}: ${tests.length} tests`);
  for (const test of tests) {
    const testStarted = Date.now();
    try {
      await withTimeout(Promise.resolve().then(test.run), test.timeoutMs ?? defaultTimeoutMs, test.name);
      console.log(`  ✔ ${test.name} (${Date.now() - testStarted} ms)`);
    } catch (error) {
      failures.push(test.name);
      console.log(`  ✘ ${test.name} (${Date.now() - testStarted} ms)\n${indent(describeError(error), '      ')}`);
    }
  }
  const passed = tests.length - failures.length;
  console.log(`${suiteName}: ${passed} passed, ${failures.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${tests.length} tests failed: ${failures.join('; ')}`);
  }
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((line) => prefix + line).join('\n');
}
