// The language server's behaviour on one connection: keeps open Python documents in sync
// (incremental changes, incremental re-parse), lints them ~150 ms after the last change,
// publishes diagnostics, answers code actions with the rules' fixes and hovers with the rules'
// explanations and the multiprocessing API's documentation, and follows the `mpscope.lint.*`
// settings and `[tool.mpscope]` in pyproject.toml (re-linting when either changes). Every
// per-document step is guarded: an exception is logged and that document's diagnostics are
// cleared, the server keeps running.

import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  MarkupKind,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import type { ModuleAnalysis } from '../analysis';
import { type ConfigError, PYPROJECT } from '../config';
import { type Finding, lint, toRange } from '../engine';
import { hoverAt } from '../hover/hover';
import { fileModuleIdentity } from '../workspace/fileModuleIdentity';
import { Debouncer } from './debouncer';
import { rangesIntersect, toCodeActions, toDiagnostic } from './diagnostics';
import { DocumentConfiguration } from './documentConfiguration';
import { OpenDocument } from './openDocument';
import { DEFAULT_SETTINGS, normalizeSettings, type ServerSettings } from './settings';

export const LINT_DELAY_MS = 150;

interface LintResult {
  readonly version: number;
  readonly findings: readonly Finding[];
  /** Kept for hovers on the same version. */
  readonly analysis: ModuleAnalysis;
}

export class LanguageServer {
  private readonly documents = new Map<string, OpenDocument>();
  private readonly results = new Map<string, LintResult>();
  private readonly settingsCache = new Map<string, Promise<ServerSettings>>();
  private readonly debouncer = new Debouncer<string>(LINT_DELAY_MS);
  private clientHasConfiguration = false;
  private clientHasDynamicConfigurationRegistration = false;
  private clientCanWatchFiles = false;
  private readonly configuration = new DocumentConfiguration((error) => this.reportConfigError(error));
  /** Settings pushed by didChangeConfiguration, for clients that cannot be asked. */
  private pushedSettings: ServerSettings = DEFAULT_SETTINGS;

  constructor(private readonly connection: Connection) {
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidOpenTextDocument((params) =>
      this.guard(params.textDocument.uri, () => {
        const { uri, languageId, version, text } = params.textDocument;
        this.documents.set(uri, new OpenDocument(uri, languageId, version, text));
        this.scheduleLint(uri, 0);
      }),
    );
    connection.onDidChangeTextDocument((params) =>
      this.guard(params.textDocument.uri, () => {
        const document = this.documents.get(params.textDocument.uri);
        if (document === undefined) return;
        document.applyChanges(params.contentChanges, params.textDocument.version);
        this.scheduleLint(document.uri);
      }),
    );
    connection.onDidCloseTextDocument((params) =>
      this.guard(params.textDocument.uri, () => {
        const uri = params.textDocument.uri;
        this.debouncer.cancel(uri);
        this.documents.delete(uri);
        this.results.delete(uri);
        this.settingsCache.delete(uri);
        void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      }),
    );
    connection.onDidChangeConfiguration((params) => {
      const pushed = (params.settings as { mpscope?: unknown } | null | undefined)?.mpscope;
      if (pushed !== undefined) this.pushedSettings = normalizeSettings(pushed);
      this.settingsCache.clear();
      for (const uri of this.documents.keys()) this.scheduleLint(uri, 0);
    });
    connection.onDidChangeWatchedFiles((params) => {
      if (!params.changes.some((change) => change.uri.endsWith(`/${PYPROJECT}`))) return;
      this.configuration.refresh();
      for (const uri of this.documents.keys()) this.scheduleLint(uri, 0);
    });
    connection.onCodeAction((params) => this.codeActions(params));
    connection.onHover((params) => this.hover(params));
    connection.onShutdown(() => this.debouncer.cancelAll());
  }

  private initialize(params: InitializeParams): InitializeResult {
    const workspace = params.capabilities.workspace;
    this.clientHasConfiguration = workspace?.configuration === true;
    this.clientHasDynamicConfigurationRegistration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    this.clientCanWatchFiles = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    // `{ settings: { lint } }`, or the `mpscope` section itself (`{ lint }`, what the extension sends).
    const options = params.initializationOptions as { settings?: unknown; lint?: unknown } | null | undefined;
    const initial = options?.settings ?? (options?.lint !== undefined ? options : undefined);
    if (initial !== undefined) this.pushedSettings = normalizeSettings(initial);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
      },
      serverInfo: { name: 'mpscope' },
    };
  }

  private initialized(): void {
    if (this.clientHasConfiguration && this.clientHasDynamicConfigurationRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'mpscope' });
    }
    // Edits to pyproject.toml re-lint open documents (without a watcher they apply on the next lint).
    if (this.clientCanWatchFiles) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${PYPROJECT}` }] });
    }
  }

  private scheduleLint(uri: string, delayMs = LINT_DELAY_MS): void {
    this.debouncer.schedule(uri, () => void this.lintAndPublish(uri), delayMs);
  }

  private async lintAndPublish(uri: string): Promise<void> {
    try {
      const settings = await this.settingsFor(uri);
      const document = this.documents.get(uri);
      if (document === undefined) return;
      if (!settings.lint.enable) {
        this.results.delete(uri);
        await this.connection.sendDiagnostics({ uri, diagnostics: [] });
        return;
      }
      const result = this.lintNow(document, settings);
      await this.connection.sendDiagnostics({ uri, version: result.version, diagnostics: result.findings.map(toDiagnostic) });
    } catch (error) {
      this.logFailure(uri, error);
      this.results.delete(uri);
      await this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    }
  }

  private lintNow(document: OpenDocument, settings: ServerSettings): LintResult {
    const analysis = document.analysis(fileModuleIdentity(document.uri));
    // Without file watching nothing says when a pyproject.toml changes: read them each time.
    if (!this.clientCanWatchFiles) this.configuration.rereadFiles();
    const { excluded, options } = this.configuration.optionsFor(document.uri, settings);
    const findings = excluded
      ? []
      : lint(analysis, { ...options, onRuleError: (code, error) => this.logFailure(document.uri, error, code) });
    const result = { version: document.version, findings, analysis };
    this.results.set(document.uri, result);
    return result;
  }

  /** The lint result of the document's current version (linting now if the debounce is pending). */
  private async currentResult(uri: string): Promise<LintResult | undefined> {
    const document = this.documents.get(uri);
    if (document === undefined) return undefined;
    const settings = await this.settingsFor(uri);
    if (!settings.lint.enable) return undefined;
    const result = this.results.get(uri);
    return result !== undefined && result.version === document.version ? result : this.lintNow(document, settings);
  }

  private async hover(params: HoverParams): Promise<Hover | null> {
    const uri = params.textDocument.uri;
    try {
      const document = this.documents.get(uri);
      if (document === undefined) return null;
      // With linting off there are no findings to explain, but the API documentation stays.
      const result = await this.currentResult(uri);
      const analysis = result?.analysis ?? document.analysis(fileModuleIdentity(uri));
      const offset = analysis.source.lines.offsetAt(params.position);
      const hover = hoverAt(analysis, result?.findings ?? [], offset);
      if (hover === undefined) return null;
      return { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: toRange(analysis.source, hover.span) };
    } catch (error) {
      this.logFailure(uri, error);
      return null;
    }
  }

  private reportConfigError(error: ConfigError): void {
    const text = `mpscope: ignoring [tool.mpscope] settings: ${error.message}`;
    this.connection.console.warn(text);
    // A notification, not showWarningMessage's request: nothing waits for the user to react.
    void this.connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Warning,
      message: `${text}. Fix the file to apply them; until then the defaults are used.`,
    });
  }

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    try {
      const only = params.context.only;
      if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
      // The request can arrive before the debounced lint of the latest edit has run.
      const result = await this.currentResult(uri);
      if (result === undefined) return [];
      const findings = result.findings.filter((finding) => rangesIntersect(finding.range, params.range));
      return toCodeActions(uri, findings, params.context.diagnostics);
    } catch (error) {
      this.logFailure(uri, error);
      return [];
    }
  }

  private settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.clientHasConfiguration) return Promise.resolve(this.pushedSettings);
    let settings = this.settingsCache.get(uri);
    if (settings === undefined) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'mpscope' })
        .then(normalizeSettings, (error: unknown) => {
          this.connection.console.warn(`mpscope: could not read settings for ${uri}, using defaults: ${String(error)}`);
          return DEFAULT_SETTINGS;
        });
      this.settingsCache.set(uri, settings);
    }
    return settings;
  }

  private guard(uri: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logFailure(uri, error);
    }
  }

  private logFailure(uri: string, error: unknown, ruleCode?: string): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const where = ruleCode ? `rule ${ruleCode} on ${uri}` : uri;
    this.connection.console.error(`mpscope: internal error while linting ${where}: ${detail}`);
  }
}
