// The Timeline panel: a webview with a Gantt chart of one session, kept live. It posts the
// webview a full state when the page (re)loads and then only the lanes that changed, at most ten
// times a second, and only while the panel is visible (a hidden panel catches up in one reset
// when it shows again). Clicking a lane reveals that process in the Processes view.
import * as vscode from 'vscode';
import type { ChangeTracker } from '../../model/changes';
import type { Model } from '../../model/model';
import { TimelineFeed } from '../../timeline/feed';
import { HostMessage, parseWebviewMessage, SessionChoice, WebviewMessage } from '../../timeline/messages';
import type { TaskSource } from '../../timeline/timeline';
import { Throttle } from '../refreshPlan';
import { newNonce, timelineHtml } from './timelineHtml';

export const TIMELINE_VIEW_TYPE = 'mpscope.timeline';
export const SHOW_TIMELINE_COMMAND = 'mpscope.showTimeline';

/** At most this many updates a second reach the webview. */
const UPDATE_INTERVAL_MS = 100;

/** What tests (through the API) can see of the panel. */
export interface TimelineStatus {
  readonly visible: boolean;
  /** The session the panel shows. */
  readonly sessionId: string | null;
  /** What the webview reported after its last drawing (null until it drew once). */
  readonly rendered: { readonly sessionId: string | null; readonly lanes: number; readonly bars: number; readonly markers: number } | null;
}

export interface TimelinePanelOptions {
  readonly model: Model;
  readonly extensionUri: vscode.Uri;
  readonly tasks: TaskSource;
  /** Shows a process in the Processes view. */
  readonly reveal: (sessionId: string, key: string) => Promise<void>;
  readonly log: vscode.LogOutputChannel;
}

export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private tracker: ChangeTracker | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly throttle: Throttle;
  private feed: TimelineFeed | undefined;
  /** Show the newest session, switching when a new one starts (until the user picks one). */
  private followNewest = true;
  private ready = false;
  private rendered: TimelineStatus['rendered'] = null;
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(private readonly options: TimelinePanelOptions) {
    this.throttle = new Throttle(() => this.flush(), UPDATE_INTERVAL_MS);
  }

  /** Opens (or brings forward) the panel on a session: the given one, else the newest. */
  show(sessionId?: string): void {
    const { model } = this.options;
    this.followNewest = sessionId === undefined;
    const target = sessionId ?? newestSessionId(model);
    if (!this.panel) {
      this.create();
    }
    this.showSession(target);
    this.panel?.reveal(undefined, false);
  }

  /** Highlights a process (the tree's selection) when its session is the one shown. */
  highlight(sessionId: string, key: string | null): void {
    if (this.feed?.sessionId === sessionId) {
      this.post({ type: 'select', key });
    }
  }

  status(): TimelineStatus | undefined {
    if (!this.panel) {
      return undefined;
    }
    return { visible: this.panel.visible, sessionId: this.feed?.sessionId ?? null, rendered: this.rendered };
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
    this.throttle.dispose();
  }

  private create(): void {
    const { extensionUri, model } = this.options;
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      'mpscope Timeline',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: false },
    );
    const webview = panel.webview;
    webview.html = timelineHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css')).toString(),
    });
    this.panel = panel;
    this.ready = false;
    this.tracker = model.createChangeTracker();
    this.unsubscribe = model.onDidChange(() => this.throttle.request());
    this.panelDisposables.push(
      webview.onDidReceiveMessage((value: unknown) => this.received(parseWebviewMessage(value))),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          // A hidden webview is torn down; it says "ready" again when it is shown, and gets
          // everything then (what changes meanwhile is not sent anywhere).
          this.ready = false;
        }
      }),
      panel.onDidDispose(() => this.closed()),
    );
  }

  private closed(): void {
    this.panel = undefined;
    this.feed = undefined;
    this.rendered = null;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.tracker?.dispose();
    this.tracker = undefined;
    for (const disposable of this.panelDisposables.splice(0)) {
      disposable.dispose();
    }
  }

  private received(message: WebviewMessage | undefined): void {
    if (!message) {
      return;
    }
    switch (message.type) {
      case 'ready':
        // The page (re)loaded: it knows nothing yet.
        this.ready = true;
        this.sendAll();
        return;
      case 'reveal':
        this.options.reveal(message.sessionId, message.key).catch((error: unknown) => {
          this.options.log.warn(`timeline: could not reveal ${message.key}: ${error instanceof Error ? error.message : String(error)}`);
        });
        return;
      case 'showSession':
        this.followNewest = message.sessionId === newestSessionId(this.options.model);
        this.showSession(message.sessionId);
        return;
      case 'rendered':
        this.rendered = { sessionId: message.sessionId, lanes: message.lanes, bars: message.bars, markers: message.markers };
        return;
    }
  }

  private showSession(sessionId: string | undefined): void {
    this.retarget(sessionId);
    this.sendAll();
  }

  /** Shows `sessionId` from the next message on. */
  private retarget(sessionId: string | undefined): void {
    const session = sessionId === undefined ? undefined : this.options.model.session(sessionId);
    if (this.feed?.sessionId !== session?.id || !session) {
      this.feed = session ? new TimelineFeed(session.id, this.options.tasks, () => Date.now() / 1000) : undefined;
    }
    if (this.panel) {
      this.panel.title = session ? `mpscope Timeline: ${session.label}` : 'mpscope Timeline';
    }
  }

  /** Sessions and the whole shown session (when the webview can take it now). */
  private sendAll(): void {
    if (!this.canPost()) {
      return;
    }
    this.tracker?.take();
    // Sessions may have started or been cleared while the webview was hidden.
    const { model } = this.options;
    const shownId = this.feed?.sessionId;
    if (this.followNewest || (shownId !== undefined && !model.session(shownId))) {
      this.followNewest = true;
      this.retarget(newestSessionId(model));
    }
    const session = this.feed ? model.session(this.feed.sessionId) : undefined;
    this.post({ type: 'sessions', sessions: sessionChoices(model), shown: session?.id ?? null });
    this.post(session && this.feed ? this.feed.reset(session) : { type: 'reset', head: null, order: [], lanes: [] });
  }

  private flush(): void {
    const tracker = this.tracker;
    if (!tracker || !tracker.pending) {
      return;
    }
    if (!this.canPost()) {
      return;
    }
    const { model } = this.options;
    const changes = tracker.take();
    const shownId = this.feed?.sessionId;
    if (changes.sessionList) {
      const newest = newestSessionId(model);
      if ((this.followNewest && newest !== shownId) || (shownId !== undefined && !model.session(shownId))) {
        this.followNewest = true;
        this.showSession(newest);
        return;
      }
    }
    if (changes.sessionList || changes.sessions.size > 0) {
      this.post({ type: 'sessions', sessions: sessionChoices(model), shown: shownId ?? null });
    }
    if (shownId === undefined || !this.feed) {
      return;
    }
    const touched = changes.sessions.has(shownId) || changes.structure.has(shownId) || changes.processes.has(shownId);
    const session = model.session(shownId);
    if (touched && session) {
      const update = this.feed.update(session);
      if (update) {
        this.post(update);
      }
    }
  }

  private canPost(): boolean {
    return this.panel !== undefined && this.ready && this.panel.visible;
  }

  private post(message: HostMessage): void {
    if (this.panel && this.ready) {
      void this.panel.webview.postMessage(message);
    }
  }
}

function newestSessionId(model: Model): string | undefined {
  return model.sessions().at(-1)?.id;
}

function sessionChoices(model: Model): SessionChoice[] {
  return model
    .sessions()
    .map((session) => ({ id: session.id, label: session.label, ended: session.endedAt !== null }))
    .reverse();
}
