// The status bar item with the live count of processes (`$(pulse) 3 running · 1 failed`); a click
// focuses the Processes view. Hidden while there is no session; updated at most ten times a
// second, like the tree.
import * as vscode from 'vscode';
import type { Model } from '../model/model';
import { PROCESSES_VIEW_ID } from './processTree';
import { Throttle } from './refreshPlan';
import { statusSummary } from './statusSummary';

export const STATUS_BAR_ITEM_ID = 'mpscope.status';

export class ProcessStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly throttle: Throttle;
  private readonly unsubscribe: () => void;
  private enabled: boolean;
  private visible = false;

  constructor(
    private readonly model: Model,
    enabled: boolean,
  ) {
    this.enabled = enabled;
    this.item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'mpscope processes';
    this.item.command = `${PROCESSES_VIEW_ID}.focus`;
    this.throttle = new Throttle(() => this.update(), 100);
    this.unsubscribe = model.onDidChange(() => this.throttle.request());
    this.update();
  }

  /** What the item shows now; undefined while hidden (tests read it). */
  get shownText(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.update();
  }

  dispose(): void {
    this.throttle.dispose();
    this.unsubscribe();
    this.item.dispose();
  }

  private update(): void {
    const summary = this.enabled ? statusSummary(this.model.sessions()) : undefined;
    if (!summary) {
      this.visible = false;
      this.item.hide();
      return;
    }
    this.item.text = summary.text;
    this.item.tooltip = summary.tooltip;
    this.item.accessibilityInformation = { label: `mpscope: ${summary.running} processes running, ${summary.failed} failed` };
    this.visible = true;
    this.item.show();
  }
}
