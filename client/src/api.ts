// What `activate()` returns. Integration tests (and other extensions) use this to look at the
// live state without scraping the UI; it only exposes read access plus the ways to wait.
import type * as vscode from 'vscode';
import type { SessionSnapshot } from './model/types';
import type { CollectorCounters } from './session/counters';
import type { ProcessTreeNode } from './views/processTree';
import type { TimelineStatus } from './views/timeline/timelinePanel';

export type { SessionSnapshot, ProcessSnapshot, ProcessState, ExitSnapshot } from './model/types';
export type { CollectorCounters } from './session/counters';
export type { ProcessTreeNode } from './views/processTree';
export type { TimelineStatus } from './views/timeline/timelinePanel';

export interface MpscopeApi {
  /** Version of the event protocol this build understands. */
  readonly protocolVersion: number;
  /** The tree shown in the Processes view. */
  readonly processTree: vscode.TreeDataProvider<ProcessTreeNode>;
  /**
   * Plain snapshot of every session the model holds, oldest first (newest last): the same data
   * the tree renders, as JSON-compatible copies (see client/src/model/types.ts for the shapes).
   */
  snapshot(): SessionSnapshot[];
  /** Fires (at most ten times a second) after the model changed; read `snapshot()` then. */
  readonly onDidChangeModel: vscode.Event<void>;
  /** What the collector's socket accepted and dropped so far (all zero before the first run). */
  collectorCounters(): Promise<CollectorCounters>;
  /** Resolves when the language client is ready (diagnostics will flow). */
  whenLanguageServerReady(): Promise<void>;
  /** The Timeline panel: undefined while it is closed; `rendered` is what its webview last drew. */
  timeline(): TimelineStatus | undefined;
  /** What the status bar item shows (`$(pulse) 3 running · 1 failed`); undefined while hidden. */
  statusBarText(): string | undefined;
}
