// The Gantt chart on a canvas: an axis of round times at the top, a column of process names on
// the left (indented by tree depth), and one lane per process with its lifetime bar, its task
// bars and its markers. Only the lanes and tasks in view are drawn, so a session of thousands of
// processes scrolls as smoothly as one of ten. Canvas text is drawn, never parsed: names from the
// program cannot turn into markup.
import { firstTaskFrom, Hit, hitInLane } from '../../../timeline/hitTest';
import type { LaneRow, MarkerRow, SessionHead } from '../../../timeline/messages';
import { fitRange, ticks, timeAt, Viewport, xOf } from '../../../timeline/viewport';
import type { Palette } from './theme';

export const ROW_HEIGHT = 22;
export const AXIS_HEIGHT = 24;
const MAX_LABEL_WIDTH = 240;
const INDENT = 12;
const BAR_INSET = 4;
const TASK_INSET = 7;

export interface ChartCounts {
  readonly lanes: number;
  readonly bars: number;
  readonly markers: number;
}

export class TimelineChart {
  head: SessionHead | null = null;
  order: string[] = [];
  readonly lanes = new Map<string, LaneRow>();
  viewport: Viewport = { start: 0, secondsPerPixel: 0.01 };
  scrollTop = 0;
  selectedKey: string | null = null;
  hoverIndex = -1;
  private receivedAt = 0;
  private width = 0;
  private height = 0;
  private readonly context: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    public palette: Palette,
  ) {
    const context = canvas.getContext('2d', { alpha: true });
    if (!context) {
      throw new Error('this webview cannot draw on a canvas');
    }
    this.context = context;
  }

  get labelWidth(): number {
    return Math.min(MAX_LABEL_WIDTH, Math.max(120, Math.floor(this.width * 0.3)));
  }

  get plotWidth(): number {
    return Math.max(1, this.width - this.labelWidth);
  }

  get plotHeight(): number {
    return Math.max(0, this.height - AXIS_HEIGHT);
  }

  /** The session's clock now: the host's time, moved on by the time since it was sent. */
  now(): number {
    if (!this.head) {
      return 0;
    }
    if (this.head.endedAt !== null) {
      return this.head.endedAt;
    }
    return this.head.now + (performance.now() - this.receivedAt) / 1000;
  }

  setHead(head: SessionHead | null): void {
    this.head = head;
    this.receivedAt = performance.now();
  }

  /** The latest time anything in the session happened (or is happening). */
  extent(): number {
    let latest = this.head && this.head.endedAt === null ? this.now() : this.head?.endedAt ?? 0;
    for (const lane of this.lanes.values()) {
      latest = Math.max(latest, lane.end ?? 0, lane.start ?? 0);
      for (const marker of lane.markers) {
        latest = Math.max(latest, marker.t);
      }
    }
    return latest;
  }

  /**
   * Shows everything from the first process's start to the latest moment. The session's own
   * start (time 0) is left out: the interpreter's start-up before the first hello is empty.
   */
  fit(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const lane of this.lanes.values()) {
      if (lane.start !== null) {
        earliest = Math.min(earliest, lane.start);
      }
    }
    this.viewport = fitRange(Number.isFinite(earliest) ? earliest : 0, this.extent(), this.plotWidth);
  }

  resize(width: number, height: number): void {
    const ratio = window.devicePixelRatio || 1;
    this.width = width;
    this.height = height;
    this.canvas.width = Math.max(1, Math.round(width * ratio));
    this.canvas.height = Math.max(1, Math.round(height * ratio));
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.clampScroll();
  }

  scrollBy(dy: number): void {
    this.scrollTop += dy;
    this.clampScroll();
  }

  clampScroll(): void {
    const max = Math.max(0, this.order.length * ROW_HEIGHT - this.plotHeight);
    this.scrollTop = Math.min(max, Math.max(0, this.scrollTop));
  }

  /** Scrolls so the lane at `index` is fully visible. */
  scrollToLane(index: number): void {
    const top = index * ROW_HEIGHT;
    if (top < this.scrollTop) {
      this.scrollTop = top;
    } else if (top + ROW_HEIGHT > this.scrollTop + this.plotHeight) {
      this.scrollTop = top + ROW_HEIGHT - this.plotHeight;
    }
    this.clampScroll();
  }

  laneIndexAt(y: number): number {
    if (y < AXIS_HEIGHT) {
      return -1;
    }
    const index = Math.floor((y - AXIS_HEIGHT + this.scrollTop) / ROW_HEIGHT);
    return index >= 0 && index < this.order.length ? index : -1;
  }

  laneAt(index: number): LaneRow | undefined {
    const key = this.order[index];
    return key === undefined ? undefined : this.lanes.get(key);
  }

  /** The lane and what in it is at canvas point (x, y). */
  hitAt(x: number, y: number): { lane: LaneRow; index: number; hit: Hit } | undefined {
    const index = this.laneIndexAt(y);
    const lane = this.laneAt(index);
    if (!lane) {
      return undefined;
    }
    if (x < this.labelWidth) {
      return { lane, index, hit: { kind: 'lane' } };
    }
    return { lane, index, hit: hitInLane(lane, this.viewport, x - this.labelWidth, this.now()) };
  }

  counts(): ChartCounts {
    let bars = 0;
    let markers = 0;
    for (const key of this.order) {
      const lane = this.lanes.get(key);
      if (lane) {
        bars += (lane.start === null ? 0 : 1) + lane.tasks.length;
        markers += lane.markers.length;
      }
    }
    return { lanes: this.order.length, bars, markers };
  }

  draw(): void {
    const ctx = this.context;
    const palette = this.palette;
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.font = palette.font;
    ctx.textBaseline = 'middle';
    const now = this.now();
    const labelWidth = this.labelWidth;

    this.drawAxis(labelWidth);
    const first = Math.max(0, Math.floor(this.scrollTop / ROW_HEIGHT));
    const last = Math.min(this.order.length - 1, Math.floor((this.scrollTop + this.plotHeight) / ROW_HEIGHT));
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, AXIS_HEIGHT, this.width, this.plotHeight);
    ctx.clip();
    for (let index = first; index <= last; index++) {
      const lane = this.laneAt(index);
      if (lane) {
        this.drawLane(lane, index, AXIS_HEIGHT + index * ROW_HEIGHT - this.scrollTop, labelWidth, now);
      }
    }
    ctx.restore();

    if (this.head && this.head.endedAt === null) {
      const x = labelWidth + xOf(this.viewport, now);
      if (x >= labelWidth && x <= this.width) {
        ctx.strokeStyle = palette.now;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(Math.round(x) + 0.5, AXIS_HEIGHT);
        ctx.lineTo(Math.round(x) + 0.5, this.height);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
    ctx.strokeStyle = palette.grid;
    ctx.beginPath();
    ctx.moveTo(labelWidth - 0.5, 0);
    ctx.lineTo(labelWidth - 0.5, this.height);
    ctx.moveTo(0, AXIS_HEIGHT - 0.5);
    ctx.lineTo(this.width, AXIS_HEIGHT - 0.5);
    ctx.stroke();
  }

  private drawAxis(labelWidth: number): void {
    const ctx = this.context;
    ctx.fillStyle = this.palette.mutedForeground;
    ctx.strokeStyle = this.palette.grid;
    ctx.globalAlpha = 1;
    ctx.beginPath();
    for (const tick of ticks(this.viewport, this.plotWidth)) {
      const x = Math.round(labelWidth + tick.x) + 0.5;
      ctx.moveTo(x, AXIS_HEIGHT - 6);
      ctx.lineTo(x, this.height);
      ctx.fillText(tick.label, x + 3, AXIS_HEIGHT / 2);
    }
    ctx.save();
    ctx.globalAlpha = 0.35;
    ctx.stroke();
    ctx.restore();
    if (this.head) {
      ctx.fillText(this.head.label, 6, AXIS_HEIGHT / 2, labelWidth - 12);
    }
  }

  private drawLane(lane: LaneRow, index: number, y: number, labelWidth: number, now: number): void {
    const ctx = this.context;
    const palette = this.palette;
    const selected = lane.key === this.selectedKey;
    if (selected || index === this.hoverIndex || index % 2 === 1) {
      ctx.fillStyle = selected ? palette.selection : index === this.hoverIndex ? palette.hover : palette.stripe;
      // Stripes only guide the eye across a wide chart: fainter than a selection.
      ctx.globalAlpha = selected || index === this.hoverIndex ? 1 : 0.5;
      ctx.fillRect(0, y, this.width, ROW_HEIGHT);
      ctx.globalAlpha = 1;
    }

    // The plot: clipped to its column so bars never cover the names.
    ctx.save();
    ctx.beginPath();
    ctx.rect(labelWidth, y, this.width - labelWidth, ROW_HEIGHT);
    ctx.clip();
    const color = palette.state[lane.state];
    if (lane.start !== null) {
      const x0 = labelWidth + xOf(this.viewport, lane.start);
      const x1 = labelWidth + xOf(this.viewport, lane.end ?? now);
      const left = Math.max(labelWidth - 2, x0);
      const right = Math.min(this.width + 2, Math.max(x1, x0 + 1));
      if (right > left) {
        ctx.globalAlpha = lane.tasks.length > 0 ? 0.35 : 0.7;
        ctx.fillStyle = color;
        ctx.fillRect(left, y + BAR_INSET, right - left, ROW_HEIGHT - 2 * BAR_INSET);
        ctx.globalAlpha = 1;
        if (palette.highContrast || selected) {
          ctx.strokeStyle = selected ? palette.focus : color;
          ctx.strokeRect(left + 0.5, y + BAR_INSET + 0.5, right - left - 1, ROW_HEIGHT - 2 * BAR_INSET - 1);
        }
      }
    }
    this.drawTasks(lane, y, labelWidth, now);
    for (const marker of lane.markers) {
      const x = labelWidth + xOf(this.viewport, marker.t);
      if (x >= labelWidth - 6 && x <= this.width + 6) {
        this.drawMarker(marker, x, y + ROW_HEIGHT / 2);
      }
    }
    ctx.restore();

    // The name column.
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, y, labelWidth - 1, ROW_HEIGHT);
    ctx.clip();
    const indent = 6 + Math.min(lane.depth, 12) * INDENT;
    ctx.fillStyle = color;
    ctx.fillRect(indent, y + ROW_HEIGHT / 2 - 3, 6, 6);
    ctx.fillStyle = selected ? palette.selectionForeground : palette.foreground;
    const text = `${lane.name} · ${lane.pid}`;
    ctx.fillText(fitText(ctx, text, labelWidth - indent - 16), indent + 10, y + ROW_HEIGHT / 2);
    ctx.restore();
  }

  private drawTasks(lane: LaneRow, y: number, labelWidth: number, now: number): void {
    const tasks = lane.tasks;
    if (tasks.length === 0) {
      return;
    }
    const ctx = this.context;
    const from = timeAt(this.viewport, -2);
    const to = timeAt(this.viewport, this.plotWidth + 2);
    // Tasks narrower than a pixel are merged into the pixel they share, so a worker with ten
    // thousand tiny tasks costs a few hundred rectangles, not ten thousand.
    let drawnUntil = Number.NEGATIVE_INFINITY;
    for (let index = firstTaskFrom(tasks, from); index < tasks.length; index++) {
      const task = tasks[index];
      if (!task || task.start > to) {
        break;
      }
      const x0 = labelWidth + xOf(this.viewport, task.start);
      const x1 = Math.max(x0 + 1, labelWidth + xOf(this.viewport, task.end ?? now));
      if (x1 <= drawnUntil && task.state !== 'failed') {
        continue;
      }
      const left = Math.max(x0, drawnUntil);
      ctx.fillStyle = this.palette.task[task.end === null ? 'running' : task.state];
      ctx.fillRect(left, y + TASK_INSET, Math.max(1, x1 - left), ROW_HEIGHT - 2 * TASK_INSET);
      if (x1 - x0 >= 4) {
        // A gap between neighbouring tasks shows where one ends and the next begins.
        ctx.fillStyle = this.palette.background;
        ctx.fillRect(x1 - 1, y + TASK_INSET, 1, ROW_HEIGHT - 2 * TASK_INSET);
      }
      drawnUntil = x1;
    }
  }

  private drawMarker(marker: MarkerRow, x: number, y: number): void {
    const ctx = this.context;
    const color = this.palette.marker[marker.kind];
    ctx.fillStyle = color;
    ctx.strokeStyle = this.palette.background;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    switch (marker.kind) {
      case 'exit':
      case 'failed':
        ctx.arc(x, y, 4, 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
        break;
      case 'exception':
        ctx.moveTo(x, y - 6);
        ctx.lineTo(x + 6, y);
        ctx.lineTo(x, y + 6);
        ctx.lineTo(x - 6, y);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
        break;
      case 'killed':
        ctx.strokeStyle = color;
        ctx.lineWidth = 2.5;
        ctx.moveTo(x - 4, y - 4);
        ctx.lineTo(x + 4, y + 4);
        ctx.moveTo(x + 4, y - 4);
        ctx.lineTo(x - 4, y + 4);
        ctx.stroke();
        break;
      case 'signal-sent':
        ctx.moveTo(x - 5, y - 8);
        ctx.lineTo(x + 5, y - 8);
        ctx.lineTo(x, y - 1);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
        break;
      case 'lost':
        ctx.strokeStyle = color;
        ctx.lineWidth = 2;
        ctx.arc(x, y, 4, 0, Math.PI * 2);
        ctx.stroke();
        break;
      case 'runtime-error':
        ctx.rect(x - 3.5, y - 3.5, 7, 7);
        ctx.fill();
        ctx.stroke();
        break;
    }
    ctx.lineWidth = 1;
  }
}

/** The text, shortened with an ellipsis to fit `width` pixels. */
function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (width <= 0) {
    return '';
  }
  if (ctx.measureText(text).width <= width) {
    return text;
  }
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, middle)}…`).width <= width) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return `${text.slice(0, low)}…`;
}
