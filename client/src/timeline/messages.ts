// The messages between the Timeline panel (extension host) and its webview. Times on the wire
// are seconds since the session started, rounded to microseconds: small numbers, short JSON.
// Shared by both sides (the webview bundle imports this file), so it stays free of `vscode` and
// of the DOM.
import type { ProcessState } from '../model/types';
import type { MarkerKind, TaskState } from './timeline';

export interface MarkerRow {
  readonly kind: MarkerKind;
  readonly t: number;
  readonly label: string;
}

export interface TaskRow {
  readonly id: string;
  readonly start: number;
  readonly end: number | null;
  readonly state: TaskState;
  readonly label: string;
}

/** One lane, as the webview draws it. */
export interface LaneRow {
  readonly key: string;
  readonly pid: number;
  readonly name: string;
  readonly depth: number;
  readonly state: ProcessState;
  readonly start: number | null;
  readonly end: number | null;
  readonly outcome: string | null;
  readonly details: readonly string[];
  readonly markers: readonly MarkerRow[];
  readonly tasks: readonly TaskRow[];
}

export interface SessionHead {
  readonly id: string;
  readonly label: string;
  /** Seconds since the epoch: the zero of every other time. */
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** The host's clock when the message was sent; the webview extrapolates open bars from it. */
  readonly now: number;
}

export interface SessionChoice {
  readonly id: string;
  readonly label: string;
  readonly ended: boolean;
}

export type HostMessage =
  /** The sessions the user can pick, and the one shown. */
  | { readonly type: 'sessions'; readonly sessions: readonly SessionChoice[]; readonly shown: string | null }
  /** Everything about the shown session (or nothing, when there is no session). */
  | { readonly type: 'reset'; readonly head: SessionHead | null; readonly order: readonly string[]; readonly lanes: readonly LaneRow[] }
  /** What changed since the last message: new or changed lanes, and the order when it changed. */
  | {
      readonly type: 'update';
      readonly head: SessionHead;
      readonly order: readonly string[] | null;
      readonly lanes: readonly LaneRow[];
      readonly removed: readonly string[];
    }
  /** Highlight a lane (the tree's selection moved to it). */
  | { readonly type: 'select'; readonly key: string | null };

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly sessionId: string; readonly key: string }
  | { readonly type: 'showSession'; readonly sessionId: string }
  /** Sent after each drawing, so tests (and the log) can tell the view really rendered. */
  | {
      readonly type: 'rendered';
      readonly sessionId: string | null;
      readonly lanes: number;
      readonly bars: number;
      readonly markers: number;
    };

/** Checks a message from the webview before the host acts on it. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const message = value as Readonly<Record<string, unknown>>;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal':
      return typeof message.sessionId === 'string' && typeof message.key === 'string'
        ? { type: 'reveal', sessionId: message.sessionId, key: message.key }
        : undefined;
    case 'showSession':
      return typeof message.sessionId === 'string' ? { type: 'showSession', sessionId: message.sessionId } : undefined;
    case 'rendered': {
      const { sessionId, lanes, bars, markers } = message;
      if ((sessionId === null || typeof sessionId === 'string') && isCount(lanes) && isCount(bars) && isCount(markers)) {
        return { type: 'rendered', sessionId, lanes, bars, markers };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
