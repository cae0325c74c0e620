// The bundled language server (dist/server.js) driven over the wire, as an editor drives it.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  CodeAction,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  TextEdit,
} from 'vscode-languageserver';
import { lint } from '../../src/engine';
import { parseSource } from '../../src/parser';
import { RULE_DOCS_BASE_URL } from '../../src/rules/docsUrl';
import { applyEdits } from '../support/edits';
import { LspClient } from '../support/lspClient';
import { SERVER_BUNDLE } from '../support/paths';

const URI = 'file:///tmp/mpscope-lsp-test/script.py';
const UNGUARDED = [
  'import multiprocessing as mp',
  '',
  '',
  'def square(x):',
  '    return x * x',
  '',
  '',
  'pool = mp.Pool(2)',
  'print(pool.map(square, range(3)))',
  '',
].join('\n');

function initializeParams(configuration: boolean): unknown {
  return {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { dynamicRegistration: false } },
    },
  };
}

function diagnosticsFor(client: LspClient, predicate: (params: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  return client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === URI && predicate(params));
}

function open(client: LspClient, text: string, version = 1): void {
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'python', version, text } });
}

describe('language server over stdio', () => {
  let client: LspClient;
  let settings: Record<string, unknown> = { lint: { enable: true } };
  let configurationRequests = 0;

  before(async () => {
    client = LspClient.startStdio(SERVER_BUNDLE);
    client.onRequest('workspace/configuration', (params) => {
      configurationRequests++;
      const items = (params as { items: { section?: string }[] }).items;
      return items.map(() => settings);
    });
    client.onRequest('client/registerCapability', () => null);
    const result = await client.request<InitializeResult>('initialize', initializeParams(true));
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    client.notify('initialized', {});
  });

  after(async () => {
    const code = await client.stop();
    assert.equal(code, 0, `server exit code; stderr:\n${client.stderr}`);
  });

  let firstDiagnostic: Diagnostic;

  it('publishes MP001 for a file that starts a pool at module level', async () => {
    open(client, UNGUARDED);
    const published = await diagnosticsFor(client, (params) => params.version === 1);
    assert.equal(published.diagnostics.length, 1);
    const [diagnostic] = published.diagnostics;
    assert.deepEqual(diagnostic.range, { start: { line: 7, character: 7 }, end: { line: 7, character: 17 } });
    assert.equal(diagnostic.severity, 1);
    assert.equal(diagnostic.code, 'MP001');
    assert.equal(diagnostic.source, 'mpscope');
    assert.equal(diagnostic.codeDescription?.href, `${RULE_DOCS_BASE_URL}MP001.md`);
    assert.equal(typeof diagnostic.message, 'string');
    assert.match(diagnostic.message as string, /^missing main guard: `mp\.Pool\(\.\.\.\)` starts a process pool/);
    assert.ok(configurationRequests > 0, 'settings are read through workspace/configuration');
    firstDiagnostic = diagnostic;
  });

  it('answers codeAction with the wrap fix and the ignore fix, attached to the diagnostic', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: firstDiagnostic.range,
      context: { diagnostics: [firstDiagnostic], only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred ?? false]),
      [
        ['Wrap in `if __name__ == "__main__":`', 'quickfix', true],
        ['Ignore MP001 on this line', 'quickfix', false],
      ],
    );
    for (const action of actions) assert.deepEqual(action.diagnostics, [firstDiagnostic]);
    const edits = action0Edits(actions[0]);
    const fixed = applyEdits(UNGUARDED, edits);
    assert.equal(
      fixed,
      UNGUARDED.replace('pool = mp.Pool(2)\nprint', 'if __name__ == "__main__":\n    pool = mp.Pool(2)\n    print'),
    );
    assert.deepEqual(parseSource(fixed).errors, []);
    assert.deepEqual(lint(fixed), []);
    const ignored = applyEdits(UNGUARDED, action0Edits(actions[1]));
    assert.match(ignored, /pool = mp\.Pool\(2\) {2}# mpscope: ignore\[MP001\]\n/);
  });

  it('returns no actions for other kinds or ranges without findings', async () => {
    const refactors = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: firstDiagnostic.range,
      context: { diagnostics: [], only: ['refactor'] },
    });
    assert.deepEqual(refactors, []);
    const elsewhere = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 3 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(elsewhere, []);
  });

  it('follows incremental edits: guarding the code clears the diagnostic, unguarding brings it back', async () => {
    // Insert the guard line and indent the two statements (three edits in one notification).
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [
        { range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: 'if __name__ == "__main__":\n' },
        { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, text: '    ' },
        { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: '    ' },
      ],
    });
    const cleared = await diagnosticsFor(client, (params) => params.version === 2);
    assert.deepEqual(cleared.diagnostics, []);

    // Typing character by character before a debounced lint: only the final text is linted.
    const typed = 'mp.Process()';
    for (let i = 0; i < typed.length; i++) {
      client.notify('textDocument/didChange', {
        textDocument: { uri: URI, version: 3 + i },
        contentChanges: [{ range: { start: { line: 10, character: i }, end: { line: 10, character: i } }, text: typed[i] }],
      });
    }
    const finalVersion = 2 + typed.length;
    const back = await diagnosticsFor(client, (params) => params.version === finalVersion);
    assert.equal(back.diagnostics.length, 1);
    assert.deepEqual(back.diagnostics[0].range, { start: { line: 10, character: 0 }, end: { line: 10, character: 12 } });
  });

  it('accepts a full-text change', async () => {
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 100 },
      contentChanges: [{ text: 'from concurrent.futures import ProcessPoolExecutor\nProcessPoolExecutor()\n' }],
    });
    const published = await diagnosticsFor(client, (params) => params.version === 100);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [['MP001', 1]],
    );
  });

  it('clears diagnostics when mpscope.lint.enable turns false, and restores them when it turns true', async () => {
    settings = { lint: { enable: false } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await diagnosticsFor(client, (params) => params.diagnostics.length === 0);
    const none = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(none, []);
    settings = { lint: { enable: true } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const restored = await diagnosticsFor(client, (params) => params.diagnostics.length === 1);
    assert.equal(restored.diagnostics[0].code, 'MP001');
  });

  it('survives text that is not Python at all', async () => {
    const garbage = '\u0000\uffff)(][}{:::\n\t\t  \\\n"""' + String.fromCharCode(...Array.from({ length: 200 }, (_, i) => (i * 37) % 256));
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version: 200 }, contentChanges: [{ text: garbage }] });
    const published = await diagnosticsFor(client, (params) => params.version === 200);
    assert.deepEqual(published.diagnostics, []);
    assert.ok(client.alive);
  });

  it('clears diagnostics when the document closes', async () => {
    client.notify('textDocument/didClose', { textDocument: { uri: URI } });
    const cleared = await diagnosticsFor(client, (params) => params.version === undefined && params.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('language server over Node IPC (how the VS Code client starts it)', () => {
  let client: LspClient;

  before(async () => {
    client = LspClient.startIpc(SERVER_BUNDLE);
    // No configuration capability: settings come from initializationOptions and didChangeConfiguration.
    await client.request<InitializeResult>('initialize', {
      ...(initializeParams(false) as object),
      initializationOptions: { settings: { lint: { enable: true } } },
    });
    client.notify('initialized', {});
  });

  after(async () => {
    const code = await client.stop();
    assert.equal(code, 0, `server exit code; stderr:\n${client.stderr}`);
  });

  it('publishes MP001 and follows pushed settings', async () => {
    open(client, UNGUARDED);
    const published = await diagnosticsFor(client, (params) => params.version === 1);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => diagnostic.code),
      ['MP001'],
    );
    client.notify('workspace/didChangeConfiguration', { settings: { mpscope: { lint: { enable: false } } } });
    await diagnosticsFor(client, (params) => params.diagnostics.length === 0);
  });
});

function action0Edits(action: CodeAction): TextEdit[] {
  const changes = action.edit?.changes?.[URI];
  assert.ok(changes, 'the action edits the document');
  return changes;
}
