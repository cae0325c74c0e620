// The bundled language server over stdio: hover, settings changes, and [tool.mpscope] in
// pyproject.toml (picked up, overridden by settings, re-read when the client reports a change,
// and a broken file reported once while linting goes on with the defaults).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover, InitializeResult, MarkupContent, PublishDiagnosticsParams, ShowMessageParams } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';
import { SERVER_BUNDLE } from '../support/paths';

const UNGUARDED = 'import multiprocessing as mp\n\n\ndef square(x):\n    return x * x\n\n\npool = mp.Pool(2)\nprint(pool.map(square, range(3)))\n';

interface Registration {
  method: string;
  registerOptions?: unknown;
}

interface Session {
  client: LspClient;
  setSettings(settings: Record<string, unknown>): void;
  /** Resolves with the server's registration for workspace/didChangeWatchedFiles. */
  watcherRegistration: Promise<Registration>;
}

async function startServer(): Promise<Session> {
  const client = LspClient.startStdio(SERVER_BUNDLE);
  let settings: Record<string, unknown> = { lint: { enable: true } };
  let registered: (registration: Registration) => void = () => undefined;
  const watcherRegistration = new Promise<Registration>((resolve) => (registered = resolve));
  client.onRequest('workspace/configuration', (params) => (params as { items: unknown[] }).items.map(() => settings));
  client.onRequest('client/registerCapability', (params) => {
    for (const registration of (params as { registrations: Registration[] }).registrations) {
      if (registration.method === 'workspace/didChangeWatchedFiles') registered(registration);
    }
    return null;
  });
  const result = await client.request<InitializeResult>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] } },
    },
  });
  assert.equal(result.capabilities.hoverProvider, true);
  client.notify('initialized', {});
  return { client, setSettings: (next) => (settings = next), watcherRegistration };
}

function open(client: LspClient, uri: string, text: string, version = 1): void {
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
}

function diagnostics(client: LspClient, uri: string, predicate: (params: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
  return client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === uri && predicate(params));
}

function severities(params: PublishDiagnosticsParams): [string, number | undefined][] {
  return params.diagnostics.map((diagnostic) => [String(diagnostic.code), diagnostic.severity]);
}

describe('language server: hover and configuration', () => {
  let session: Session;
  let root: string;
  const uriOf = (relative: string): string => pathToFileURL(path.join(root, relative)).href;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-lsp-config-'));
    fs.mkdirSync(path.join(root, 'project', 'generated'), { recursive: true });
    fs.mkdirSync(path.join(root, 'broken'), { recursive: true });
    fs.writeFileSync(path.join(root, 'project', 'pyproject.toml'), '[tool.mpscope]\nexclude = ["generated"]\nseverity = { MP001 = "warning" }\n');
    fs.writeFileSync(path.join(root, 'broken', 'pyproject.toml'), '[tool.mpscope]\nselect = [MP001\n');
    session = await startServer();
  });

  after(async () => {
    const code = await session.client.stop();
    fs.rmSync(root, { recursive: true, force: true });
    assert.equal(code, 0, `server exit code; stderr:\n${session.client.stderr}`);
  });

  it('watches pyproject.toml files', async () => {
    const watch = await session.watcherRegistration;
    assert.deepEqual(watch.registerOptions, { watchers: [{ globPattern: '**/pyproject.toml' }] });
  });

  it('applies the nearest pyproject.toml: severity and exclude', async () => {
    const { client } = session;
    open(client, uriOf('project/app.py'), UNGUARDED);
    assert.deepEqual(severities(await diagnostics(client, uriOf('project/app.py'))), [['MP001', 2]]);
    open(client, uriOf('project/generated/gen.py'), UNGUARDED);
    assert.deepEqual((await diagnostics(client, uriOf('project/generated/gen.py'))).diagnostics, []);
  });

  it('lets editor settings override the file, and re-lints when they change', async () => {
    const { client } = session;
    session.setSettings({ lint: { enable: true, severity: { MP001: 'hint' } } });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await diagnostics(client, uriOf('project/app.py'), (params) => params.diagnostics[0]?.severity === 4);
    session.setSettings({ lint: { enable: true, ignore: ['MP001'] } });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await diagnostics(client, uriOf('project/app.py'), (params) => params.diagnostics.length === 0);
    session.setSettings({ lint: { enable: true, severity: { MP001: 'off' } } });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await diagnostics(client, uriOf('project/app.py'), (params) => params.diagnostics.length === 0);
    session.setSettings({ lint: { enable: true } });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(severities(await diagnostics(client, uriOf('project/app.py'), (params) => params.diagnostics.length === 1)), [['MP001', 2]]);
  });

  it('re-reads pyproject.toml when the client reports a change', async () => {
    const { client } = session;
    const file = path.join(root, 'project', 'pyproject.toml');
    fs.writeFileSync(file, '[tool.mpscope]\nexclude = ["generated"]\nseverity = { MP001 = "information" }\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 2 }] });
    assert.deepEqual(severities(await diagnostics(client, uriOf('project/app.py'), (params) => params.diagnostics[0]?.severity === 3)), [['MP001', 3]]);
    fs.rmSync(file);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 3 }] });
    // The rule's default severity again, and the formerly excluded file is linted.
    await diagnostics(client, uriOf('project/app.py'), (params) => params.diagnostics[0]?.severity === 1);
    await diagnostics(client, uriOf('project/generated/gen.py'), (params) => params.diagnostics.length === 1);
  });

  it('warns once about a broken pyproject.toml and lints with the defaults', async () => {
    const { client } = session;
    const warning = client.waitForNotification<ShowMessageParams>('window/showMessage');
    open(client, uriOf('broken/one.py'), UNGUARDED);
    assert.deepEqual(severities(await diagnostics(client, uriOf('broken/one.py'))), [['MP001', 1]]);
    const shown = await warning;
    assert.equal(shown.type, 2);
    assert.match(shown.message, /ignoring \[tool\.mpscope\] settings: .*broken[/\\]pyproject\.toml:2:11: invalid TOML: unexpected 'MP001'; expected a value \(strings must be quoted\)/);
    open(client, uriOf('broken/two.py'), UNGUARDED);
    await diagnostics(client, uriOf('broken/two.py'));
    // Once: a hover request round-trip later, no second warning has arrived for the second file.
    await client.request('textDocument/hover', { textDocument: { uri: uriOf('broken/two.py') }, position: { line: 0, character: 0 } });
    await assert.rejects(client.waitForNotification('window/showMessage', () => true, 500), /no matching window\/showMessage/);
  });

  it('hovers: the rule behind a diagnostic, and the API behind a name', async () => {
    const { client } = session;
    const uri = uriOf('hover.py');
    open(client, uri, UNGUARDED);
    await diagnostics(client, uri);
    const onFinding = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 12 } });
    const findingText = (onFinding?.contents as MarkupContent).value;
    assert.match(findingText, /\*\*mpscope MP001\*\* `missing-main-guard`/);
    assert.match(findingText, /docs\/rules\/MP001\.md/);
    // `mp.Pool` itself is also under the cursor: its documentation follows the rule's.
    assert.match(findingText, /multiprocessing\.pool\.Pool\(processes=None/);
    const onMap = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 12 } });
    assert.match((onMap?.contents as MarkupContent).value, /multiprocessing\.pool\.Pool\.map\(func, iterable/);
    assert.deepEqual(onMap?.range, { start: { line: 8, character: 11 }, end: { line: 8, character: 14 } });
    const nothing = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 1 } });
    assert.equal(nothing, null);
  });

  it('hovers on text that is being typed and on positions past the end without failing', async () => {
    const { client } = session;
    const uri = uriOf('typing.py');
    open(client, uri, 'import multiprocessing as mp\nmp.\n(((\n');
    for (const position of [
      { line: 1, character: 3 },
      { line: 2, character: 2 },
      { line: 99, character: 99 },
    ]) {
      const result = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      assert.ok(result === null || typeof result === 'object');
    }
    assert.ok(client.alive);
  });
});

describe('language server: pyproject.toml without file watching', () => {
  it('reads pyproject.toml again on the next lint when the client cannot report file changes', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpscope-lsp-nowatch-'));
    const client = LspClient.startStdio(SERVER_BUNDLE);
    try {
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.mpscope]\nseverity = { MP001 = "warning" }\n');
      client.onRequest('workspace/configuration', (params) => (params as { items: unknown[] }).items.map(() => ({ lint: { enable: true } })));
      await client.request<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
      client.notify('initialized', {});
      const uri = pathToFileURL(path.join(root, 'app.py')).href;
      open(client, uri, UNGUARDED);
      assert.deepEqual(severities(await diagnostics(client, uri)), [['MP001', 2]]);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.mpscope]\nseverity = { MP001 = "hint" }\n');
      client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${UNGUARDED}\n` }] });
      assert.deepEqual(severities(await diagnostics(client, uri, (params) => params.version === 2)), [['MP001', 4]]);
    } finally {
      const code = await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
      assert.equal(code, 0, client.stderr);
    }
  });
});
