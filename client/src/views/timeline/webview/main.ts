// The Timeline webview's script (bundled by esbuild into media/timeline.js, loaded with the
// page's nonce). It keeps the lanes the host sends, draws them with TimelineChart, and turns
// the user's wheel, drag, keys and clicks into zoom, pan, hover and "reveal in the tree".
// Every piece of text from the program is shown with textContent or drawn on the canvas.
import { hoverLines } from '../../../timeline/hitTest';
import type { HostMessage, SessionChoice, WebviewMessage } from '../../../timeline/messages';
import { panBy, Viewport, zoomAt } from '../../../timeline/viewport';
import { ROW_HEIGHT, TimelineChart } from './chart';
import { readPalette, watchTheme } from './theme';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the webview being hidden and shown again. */
interface SavedState {
  readonly sessionId: string | null;
  readonly viewport: Viewport;
  readonly scrollTop: number;
  readonly follow: boolean;
  readonly selectedKey: string | null;
}

const ZOOM_STEP = 1.5;
const WHEEL_ZOOM_PER_PIXEL = 0.002;
const DRAG_THRESHOLD_PX = 4;
/** Redraws of a live session's growing bars, at most this often. */
const LIVE_REDRAW_MS = 250;

const vscode = acquireVsCodeApi();

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) {
    throw new Error(`the Timeline page has no #${id}`);
  }
  return found;
}

const chartArea = element('chart', HTMLElement);
const canvas = element('canvas', HTMLCanvasElement);
const tooltip = element('tooltip', HTMLDivElement);
const sessionSelect = element('session', HTMLSelectElement);
const followButton = element('follow', HTMLButtonElement);
const status = element('status', HTMLSpanElement);
const announcer = element('announce', HTMLDivElement);
const empty = element('empty', HTMLDivElement);

const chart = new TimelineChart(canvas, readPalette());
let follow = true;
let drawQueued = false;
let reportQueued = false;
let lastReport = '';

const saved = vscode.getState() as SavedState | undefined;
if (saved && typeof saved === 'object') {
  follow = saved.follow;
  chart.viewport = saved.viewport;
  chart.scrollTop = saved.scrollTop;
  chart.selectedKey = saved.selectedKey;
}

// ---- messages from the host --------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'sessions':
      showSessions(message.sessions, message.shown);
      return;
    case 'reset': {
      const sameSession = chart.head?.id === message.head?.id || (saved?.sessionId === message.head?.id && chart.head === null);
      chart.setHead(message.head);
      chart.lanes.clear();
      for (const lane of message.lanes) {
        chart.lanes.set(lane.key, lane);
      }
      chart.order = [...message.order];
      if (!sameSession) {
        chart.selectedKey = null;
        chart.scrollTop = 0;
        follow = true;
      }
      afterData(true);
      return;
    }
    case 'update':
      chart.setHead(message.head);
      for (const key of message.removed) {
        chart.lanes.delete(key);
      }
      for (const lane of message.lanes) {
        chart.lanes.set(lane.key, lane);
      }
      if (message.order) {
        chart.order = [...message.order];
      }
      afterData(false);
      return;
    case 'select':
      chart.selectedKey = message.key;
      if (message.key !== null) {
        const index = chart.order.indexOf(message.key);
        if (index >= 0) {
          chart.scrollToLane(index);
        }
      }
      requestDraw();
      return;
  }
});

function showSessions(sessions: readonly SessionChoice[], shown: string | null): void {
  sessionSelect.replaceChildren(
    ...sessions.map((session) => {
      const option = document.createElement('option');
      option.value = session.id;
      option.textContent = `${session.label}${session.ended ? '' : ' (running)'}`;
      option.selected = session.id === shown;
      return option;
    }),
  );
  sessionSelect.disabled = sessions.length === 0;
}

function afterData(reset: boolean): void {
  chart.clampScroll();
  if (follow) {
    chart.fit();
  }
  empty.hidden = chart.order.length > 0;
  empty.textContent = chart.head ? 'No process has reported yet.' : 'No session yet: run a Python file with the process tree, or open a saved session.';
  updateStatus();
  reportQueued = reportQueued || reset;
  requestDraw(true);
}

function updateStatus(): void {
  const head = chart.head;
  if (!head) {
    status.textContent = '';
    return;
  }
  const count = chart.order.length;
  status.textContent = `${count} ${count === 1 ? 'process' : 'processes'} · ${head.endedAt === null ? 'live' : 'ended'}`;
}

// ---- drawing ---------------------------------------------------------------------------------

function requestDraw(report = false): void {
  reportQueued = reportQueued || report;
  if (drawQueued) {
    return;
  }
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    chart.draw();
    if (reportQueued) {
      reportQueued = false;
      reportRendered();
    }
    saveState();
  });
}

/** Tells the host what is on screen (when it changed), so tests can wait for a real drawing. */
function reportRendered(): void {
  const counts = chart.counts();
  const report = { type: 'rendered' as const, sessionId: chart.head?.id ?? null, ...counts };
  const text = JSON.stringify(report);
  if (text !== lastReport) {
    lastReport = text;
    vscode.postMessage(report);
  }
}

function saveState(): void {
  vscode.setState({
    sessionId: chart.head?.id ?? null,
    viewport: chart.viewport,
    scrollTop: chart.scrollTop,
    follow,
    selectedKey: chart.selectedKey,
  });
}

setInterval(() => {
  if (chart.head && chart.head.endedAt === null && !document.hidden) {
    if (follow) {
      chart.fit();
    }
    requestDraw();
  }
}, LIVE_REDRAW_MS);

new ResizeObserver(() => {
  chart.resize(chartArea.clientWidth, chartArea.clientHeight);
  if (follow) {
    chart.fit();
  }
  chart.draw();
}).observe(chartArea);

watchTheme(() => {
  chart.palette = readPalette();
  requestDraw();
});

// ---- zoom and pan ----------------------------------------------------------------------------

function setFollow(value: boolean): void {
  follow = value;
  followButton.setAttribute('aria-pressed', String(value));
  followButton.classList.toggle('pressed', value);
}
setFollow(follow);

function zoom(factor: number, anchorX = chart.plotWidth / 2): void {
  setFollow(false);
  chart.viewport = zoomAt(chart.viewport, factor, anchorX);
  requestDraw();
}

function pan(dx: number): void {
  setFollow(false);
  chart.viewport = panBy(chart.viewport, dx);
  requestDraw();
}

element('zoom-in', HTMLButtonElement).addEventListener('click', () => zoom(ZOOM_STEP));
element('zoom-out', HTMLButtonElement).addEventListener('click', () => zoom(1 / ZOOM_STEP));
element('fit', HTMLButtonElement).addEventListener('click', () => {
  setFollow(true);
  chart.fit();
  requestDraw();
});
followButton.addEventListener('click', () => {
  setFollow(!follow);
  if (follow) {
    chart.fit();
  }
  requestDraw();
});
sessionSelect.addEventListener('change', () => {
  vscode.postMessage({ type: 'showSession', sessionId: sessionSelect.value });
});

chartArea.addEventListener(
  'wheel',
  (event: WheelEvent) => {
    event.preventDefault();
    const { x } = pointIn(event);
    const scale = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? ROW_HEIGHT : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? chart.plotHeight : 1;
    if (event.ctrlKey || event.metaKey) {
      // Pinch gestures arrive as ctrl+wheel too.
      zoom(Math.exp(-event.deltaY * scale * WHEEL_ZOOM_PER_PIXEL), Math.max(0, x - chart.labelWidth));
      return;
    }
    const horizontal = event.shiftKey ? event.deltaY : event.deltaX;
    if (horizontal !== 0) {
      pan(horizontal * scale);
    }
    if (!event.shiftKey && event.deltaY !== 0) {
      chart.scrollBy(event.deltaY * scale);
      hideTooltip();
      requestDraw();
    }
  },
  { passive: false },
);

interface Drag {
  readonly pointerId: number;
  readonly startX: number;
  readonly startY: number;
  lastX: number;
  lastY: number;
  moved: boolean;
}
let drag: Drag | undefined;

chartArea.addEventListener('pointerdown', (event: PointerEvent) => {
  if (event.button !== 0) {
    return;
  }
  chartArea.focus();
  chartArea.setPointerCapture(event.pointerId);
  drag = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, lastX: event.clientX, lastY: event.clientY, moved: false };
});

chartArea.addEventListener('pointermove', (event: PointerEvent) => {
  if (drag && drag.pointerId === event.pointerId) {
    if (!drag.moved && Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY) >= DRAG_THRESHOLD_PX) {
      drag.moved = true;
      chartArea.classList.add('dragging');
      hideTooltip();
    }
    if (drag.moved) {
      const dx = event.clientX - drag.lastX;
      const dy = event.clientY - drag.lastY;
      drag.lastX = event.clientX;
      drag.lastY = event.clientY;
      if (dx !== 0) {
        pan(-dx);
      }
      if (dy !== 0) {
        chart.scrollBy(-dy);
        requestDraw();
      }
    }
    return;
  }
  hover(event);
});

chartArea.addEventListener('pointerup', (event: PointerEvent) => {
  if (!drag || drag.pointerId !== event.pointerId) {
    return;
  }
  const wasClick = !drag.moved;
  drag = undefined;
  chartArea.classList.remove('dragging');
  chartArea.releasePointerCapture(event.pointerId);
  if (wasClick) {
    const { x, y } = pointIn(event);
    const found = chart.hitAt(x, y);
    if (found) {
      select(found.index, true);
    }
  }
});

chartArea.addEventListener('pointercancel', () => {
  drag = undefined;
  chartArea.classList.remove('dragging');
});

chartArea.addEventListener('pointerleave', () => {
  if (!drag) {
    chart.hoverIndex = -1;
    hideTooltip();
    requestDraw();
  }
});

function pointIn(event: MouseEvent): { x: number; y: number } {
  const bounds = canvas.getBoundingClientRect();
  return { x: event.clientX - bounds.left, y: event.clientY - bounds.top };
}

// ---- hover -----------------------------------------------------------------------------------

function hover(event: PointerEvent): void {
  const { x, y } = pointIn(event);
  const found = chart.hitAt(x, y);
  const index = found?.index ?? -1;
  if (index !== chart.hoverIndex) {
    chart.hoverIndex = index;
    requestDraw();
  }
  if (!found) {
    hideTooltip();
    return;
  }
  showTooltip(hoverLines(found.lane, found.hit, chart.now()), event.clientX, event.clientY);
}

function showTooltip(lines: readonly string[], clientX: number, clientY: number): void {
  tooltip.replaceChildren(
    ...lines.map((line, index) => {
      const row = document.createElement('div');
      row.textContent = line;
      if (index === 0) {
        row.className = 'tooltip-title';
      }
      return row;
    }),
  );
  tooltip.hidden = false;
  // Placed beside the pointer, flipped to stay inside the page.
  const margin = 12;
  const width = tooltip.offsetWidth;
  const height = tooltip.offsetHeight;
  const left = clientX + margin + width > window.innerWidth ? Math.max(0, clientX - margin - width) : clientX + margin;
  const top = clientY + margin + height > window.innerHeight ? Math.max(0, clientY - margin - height) : clientY + margin;
  tooltip.style.left = `${left}px`;
  tooltip.style.top = `${top}px`;
}

function hideTooltip(): void {
  tooltip.hidden = true;
}

// ---- selection and keyboard ------------------------------------------------------------------

function select(index: number, reveal: boolean): void {
  const lane = chart.laneAt(index);
  if (!lane) {
    return;
  }
  chart.selectedKey = lane.key;
  chart.scrollToLane(index);
  announcer.textContent = lane.details.join('. ');
  requestDraw();
  if (reveal && chart.head) {
    vscode.postMessage({ type: 'reveal', sessionId: chart.head.id, key: lane.key });
  }
}

chartArea.addEventListener('keydown', (event: KeyboardEvent) => {
  const page = Math.max(1, Math.floor(chart.plotHeight / ROW_HEIGHT) - 1);
  const selectedIndex = chart.selectedKey === null ? -1 : chart.order.indexOf(chart.selectedKey);
  const step = event.shiftKey ? chart.plotWidth / 2 : chart.plotWidth / 10;
  let handled = true;
  switch (event.key) {
    case 'ArrowLeft':
      pan(-step);
      break;
    case 'ArrowRight':
      pan(step);
      break;
    case 'ArrowUp':
      select(Math.max(0, selectedIndex - 1), false);
      break;
    case 'ArrowDown':
      select(Math.min(chart.order.length - 1, selectedIndex + 1), false);
      break;
    case 'PageUp':
      select(Math.max(0, selectedIndex - page), false);
      break;
    case 'PageDown':
      select(Math.min(chart.order.length - 1, selectedIndex + page), false);
      break;
    case 'Home':
      select(0, false);
      break;
    case 'End':
      select(chart.order.length - 1, false);
      break;
    case '+':
    case '=':
      zoom(ZOOM_STEP);
      break;
    case '-':
    case '_':
      zoom(1 / ZOOM_STEP);
      break;
    case '0':
      setFollow(true);
      chart.fit();
      requestDraw();
      break;
    case 'f':
      followButton.click();
      break;
    case 'Enter':
    case ' ':
      if (selectedIndex >= 0) {
        select(selectedIndex, true);
      }
      break;
    case 'Escape':
      hideTooltip();
      break;
    default:
      handled = false;
  }
  if (handled) {
    event.preventDefault();
  }
});

vscode.postMessage({ type: 'ready' });
