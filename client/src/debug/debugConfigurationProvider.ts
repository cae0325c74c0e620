// Adds mpscope to Python launch configurations (debug types `debugpy` and `python`): a new
// collector session per debug session, and the environment that makes every process of the
// debuggee report to it. Attach configurations are left alone: their processes already run.
//
// It works in resolveDebugConfigurationWithSubstitutedVariables, the last step before launch:
// by then `${workspaceFolder}`, `${env:…}` and the like are replaced in `env` and `envFile`, so
// the file can be read and the user's PYTHONPATH is final. Whether the Python extension's own
// resolver ran before or after this one, the user's entries stay (see launchEnvironment.ts).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mergeRuntimeOptions } from '../commands/runPlan';
import type { Collector } from '../session/collector';
import type { SessionCredentials } from '../session/sessionServer';
import { runtimeOptionsFromSettings } from '../session/runtimeSettings';
import { EnvValues, parseEnvFile } from './envFile';
import { DEBUG_ENABLE_SETTING, launchEnvironment, shouldInstrument } from './launchEnvironment';
import { DebugSessionLinks, SESSION_MARKER } from './debugSessionLinks';

export class MpscopeDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly collector: Collector,
    private readonly links: DebugSessionLinks,
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration> {
    const enabled = vscode.workspace.getConfiguration('mpscope', folder?.uri).get<boolean>(DEBUG_ENABLE_SETTING, true);
    if (!shouldInstrument(config, enabled) || typeof config[SESSION_MARKER] === 'string') {
      return config;
    }
    const envFile = await this.readEnvFile(config, folder);
    let credentials: SessionCredentials;
    try {
      credentials = await this.collector.startSession({ label: config.name || 'Python debug session', kind: 'debug' });
    } catch (error) {
      // Never stand in the way of debugging: the program runs as if mpscope were absent.
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`debug session "${config.name}": no process tree (${reason})`);
      void vscode.window.showWarningMessage(`mpscope: the process tree is off for this debug session (${reason}). See "mpscope: Show Log".`);
      return config;
    }
    config.env = launchEnvironment({
      platform: process.platform,
      configEnv: config.env,
      envFile,
      inheritedPythonPath: process.env.PYTHONPATH,
      bootstrapDir: path.join(this.extensionPath, 'runtime', 'bootstrap'),
      sessionEnv: credentials.env,
    });
    // The mpscope.runtime settings and where stack dumps go (Dump Stacks), over the user's own MPSCOPE_OPTIONS.
    const userOptions = [config.env.MPSCOPE_OPTIONS, envFile?.MPSCOPE_OPTIONS, process.env.MPSCOPE_OPTIONS].find((value): value is string => typeof value === 'string');
    const settings = runtimeOptionsFromSettings(vscode.workspace.getConfiguration('mpscope.runtime', folder?.uri));
    config.env.MPSCOPE_OPTIONS = mergeRuntimeOptions(userOptions, { ...settings, ...credentials.runtimeOptions });
    config[SESSION_MARKER] = credentials.sessionId;
    this.links.expect(credentials.sessionId);
    this.log.info(`session ${credentials.sessionId}: debug session "${config.name}" (${config.type}) will report to the process tree`);
    return config;
  }

  /** The configuration's envFile, parsed; undefined when it has none or it cannot be read. */
  private async readEnvFile(config: vscode.DebugConfiguration, folder: vscode.WorkspaceFolder | undefined): Promise<EnvValues | undefined> {
    const name: unknown = config.envFile;
    if (typeof name !== 'string' || name.length === 0) {
      return undefined;
    }
    const base = folder?.uri.scheme === 'file' ? folder.uri.fsPath : typeof config.cwd === 'string' ? config.cwd : process.cwd();
    const file = path.resolve(base, name);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      // A missing .env is common (the Python extension's default points at one); nothing to merge.
      this.log.debug(`envFile ${file} not read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const env: unknown = config.env;
    const configEnv = typeof env === 'object' && env !== null ? (env as Record<string, unknown>) : {};
    return parseEnvFile(text, (variable) => {
      const value = configEnv[variable];
      return typeof value === 'string' ? value : process.env[variable];
    });
  }
}
