// The mpscope language server (dist/server.js) for Python files: lint diagnostics and quick
// fixes. Started after activation returns, so opening a workspace is not slowed by it, and
// stopped when `mpscope.lint.enable` is turned off.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

const CLIENT_ID = 'mpscope';
const CLIENT_NAME = 'mpscope';

export interface LintSettings {
  readonly enable: boolean;
}

export function lintSettings(): LintSettings {
  const configuration = vscode.workspace.getConfiguration('mpscope.lint');
  return { enable: configuration.get<boolean>('enable', true) };
}

export class LanguageClientHost implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly status: vscode.LanguageStatusItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readyWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private state: 'stopped' | 'starting' | 'running' | 'failed' | 'disabled' = 'stopped';
  private failure: Error | undefined;

  constructor(
    private readonly serverModule: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.status = vscode.languages.createLanguageStatusItem('mpscope.lint', { language: 'python' });
    this.status.name = 'mpscope lint';
    this.status.command = { command: 'mpscope.showLog', title: 'Show Log' };
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('mpscope.lint.enable')) {
          void this.applySettings();
        }
      }),
    );
  }

  /** Starts (or not, when disabled) in the background. */
  activate(): void {
    void this.applySettings();
  }

  whenReady(): Promise<void> {
    if (this.state === 'running') {
      return Promise.resolve();
    }
    if (this.state === 'disabled') {
      return Promise.reject(new Error('mpscope linting is disabled (mpscope.lint.enable is false)'));
    }
    if (this.state === 'failed') {
      return Promise.reject(this.failure ?? new Error('the mpscope language server failed to start'));
    }
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  async dispose(): Promise<void> {
    for (const disposable of this.subscriptions) {
      disposable.dispose();
    }
    this.status.dispose();
    await this.stop();
  }

  private async applySettings(): Promise<void> {
    if (lintSettings().enable) {
      await this.start();
    } else {
      await this.stop();
      this.setState('disabled');
    }
  }

  private start(): Promise<void> {
    this.starting ??= this.startClient().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startClient(): Promise<void> {
    if (this.client) {
      return;
    }
    this.setState('starting');
    try {
      if (!fs.existsSync(this.serverModule)) {
        throw new Error(`${this.serverModule} is missing (run "npm run build")`);
      }
      // Loaded here rather than at the top so activation does not pay for evaluating it.
      const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
      const client = new LanguageClient(
        CLIENT_ID,
        CLIENT_NAME,
        {
          run: { module: this.serverModule, transport: TransportKind.ipc },
          debug: {
            module: this.serverModule,
            transport: TransportKind.ipc,
            options: { execArgv: ['--nolazy', '--inspect=6011'] },
          },
        },
        {
          documentSelector: [
            { scheme: 'file', language: 'python' },
            { scheme: 'untitled', language: 'python' },
          ],
          initializationOptions: { lint: lintSettings() },
          synchronize: { configurationSection: 'mpscope' },
          outputChannel: this.log,
        },
      );
      this.client = client;
      await client.start();
      this.setState('running');
    } catch (error) {
      this.client = undefined;
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.log.error(`the mpscope language server did not start: ${this.failure.message}`);
      this.setState('failed');
    }
  }

  private async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop();
      } catch (error) {
        this.log.warn(`stopping the language server: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.setState('stopped');
  }

  private setState(state: LanguageClientHost['state']): void {
    this.state = state;
    const texts: Record<LanguageClientHost['state'], string> = {
      stopped: 'mpscope lint: stopped',
      starting: 'mpscope lint: starting…',
      running: 'mpscope lint',
      failed: 'mpscope lint: failed to start',
      disabled: 'mpscope lint: off',
    };
    this.status.text = texts[state];
    this.status.busy = state === 'starting';
    this.status.severity = state === 'failed'
      ? vscode.LanguageStatusSeverity.Error
      : vscode.LanguageStatusSeverity.Information;
    if (state === 'running') {
      this.settleWaiters();
    } else if (state === 'failed') {
      this.settleWaiters(this.failure ?? new Error(texts[state]));
    } else if (state === 'disabled') {
      this.settleWaiters(new Error('mpscope linting is disabled (mpscope.lint.enable is false)'));
    }
  }

  private settleWaiters(error?: Error): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) {
      if (error) {
        waiter.reject(error);
      } else {
        waiter.resolve();
      }
    }
  }
}
