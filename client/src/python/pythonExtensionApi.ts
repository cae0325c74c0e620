// Reading the selected interpreter from the Python extension's exported API without depending
// on its types: the API object is treated as untrusted `unknown` and probed shape by shape, so
// an API change or a misbehaving extension means "no answer", never an exception.
//  - current API: environments.getActiveEnvironmentPath(resource) → { path }, and
//    environments.resolveEnvironment(path) → { executable: { uri: { fsPath } } }
//  - older API:   settings.getExecutionDetails(resource) → { execCommand: string[] }

const CALL_TIMEOUT_MS = 5_000;

export async function interpreterFromPythonApi(
  api: unknown,
  resource: unknown,
  timeoutMs: number = CALL_TIMEOUT_MS,
): Promise<string[] | undefined> {
  const environments = property(api, 'environments');
  const getActive = method(environments, 'getActiveEnvironmentPath');
  if (getActive) {
    const active = await attempt(() => getActive(resource), timeoutMs);
    const resolve = method(environments, 'resolveEnvironment');
    if (active !== undefined && resolve) {
      const resolved = await attempt(() => resolve(active), timeoutMs);
      const fsPath = property(property(property(resolved, 'executable'), 'uri'), 'fsPath');
      if (isNonEmptyString(fsPath)) {
        return [fsPath];
      }
    }
    const activePath = property(active, 'path');
    if (isNonEmptyString(activePath) && /python[0-9.]*(\.exe)?$/i.test(activePath)) {
      return [activePath];
    }
  }
  const getExecutionDetails = method(property(api, 'settings'), 'getExecutionDetails');
  if (getExecutionDetails) {
    const details = await attempt(() => getExecutionDetails(resource), timeoutMs);
    const execCommand = property(details, 'execCommand');
    if (Array.isArray(execCommand) && execCommand.length > 0 && execCommand.every(isNonEmptyString)) {
      return [...(execCommand as string[])];
    }
  }
  return undefined;
}

function property(value: unknown, name: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return undefined;
  }
  try {
    return (value as Record<string, unknown>)[name];
  } catch {
    return undefined; // a throwing getter
  }
}

type Call = (argument: unknown) => unknown;

function method(owner: unknown, name: string): Call | undefined {
  const candidate = property(owner, name);
  return typeof candidate === 'function' ? (argument) => (candidate as Call).call(owner, argument) : undefined;
}

/** Calls `action`, awaiting a returned promise for at most `timeoutMs`; failures give undefined. */
async function attempt(action: () => unknown, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    return await Promise.race([Promise.resolve().then(action), timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
