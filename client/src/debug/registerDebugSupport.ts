// Debug sessions with a process tree: the configuration provider and the session links, for
// both Python debug types.
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import type { Collector } from '../session/collector';
import { MpscopeDebugConfigurationProvider } from './debugConfigurationProvider';
import { DebugSessionLinks, PYTHON_DEBUG_TYPES } from './debugSessionLinks';

export interface DebugSupportContext {
  readonly collector: Collector;
  readonly model: Model;
  readonly extensionPath: string;
  readonly log: vscode.LogOutputChannel;
}

export function registerDebugSupport(context: DebugSupportContext, subscriptions: vscode.Disposable[]): void {
  const links = new DebugSessionLinks(context.collector, context.model, context.log);
  const provider = new MpscopeDebugConfigurationProvider(context.collector, links, context.extensionPath, context.log);
  subscriptions.push(links);
  for (const type of PYTHON_DEBUG_TYPES) {
    subscriptions.push(vscode.debug.registerDebugConfigurationProvider(type, provider));
  }
}
