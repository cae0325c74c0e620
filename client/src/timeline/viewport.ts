// The arithmetic of the Timeline's time axis: which time is at which pixel, zooming around the
// pointer, panning, fitting a range, and tick marks at round values. Pure, so the webview script
// and the unit tests share it.

export interface Viewport {
  /** Time (seconds since the session started) at the left edge of the plot. */
  readonly start: number;
  /** Seconds one CSS pixel spans. */
  readonly secondsPerPixel: number;
}

/** From a tenth of a microsecond per pixel (tasks of a few µs) to a day across a wide screen. */
export const MIN_SECONDS_PER_PIXEL = 1e-7;
export const MAX_SECONDS_PER_PIXEL = 100;

export function timeAt(viewport: Viewport, x: number): number {
  return viewport.start + x * viewport.secondsPerPixel;
}

export function xOf(viewport: Viewport, t: number): number {
  return (t - viewport.start) / viewport.secondsPerPixel;
}

/** Zooms by `factor` (> 1 zooms in) keeping the time under `anchorX` where it is. */
export function zoomAt(viewport: Viewport, factor: number, anchorX: number): Viewport {
  const secondsPerPixel = clamp(viewport.secondsPerPixel / factor, MIN_SECONDS_PER_PIXEL, MAX_SECONDS_PER_PIXEL);
  const anchor = timeAt(viewport, anchorX);
  return { start: anchor - anchorX * secondsPerPixel, secondsPerPixel };
}

/** Moves the view by `dx` pixels (positive: later times come into view). */
export function panBy(viewport: Viewport, dx: number): Viewport {
  return { start: viewport.start + dx * viewport.secondsPerPixel, secondsPerPixel: viewport.secondsPerPixel };
}

/** Shows `[from, to]` across `width` pixels with a small margin on both sides. */
export function fitRange(from: number, to: number, width: number): Viewport {
  const span = Math.max(to - from, 1e-3);
  const usable = Math.max(width, 1);
  const secondsPerPixel = clamp((span * 1.04) / usable, MIN_SECONDS_PER_PIXEL, MAX_SECONDS_PER_PIXEL);
  return { start: from - span * 0.02, secondsPerPixel };
}

export interface Tick {
  readonly x: number;
  readonly t: number;
  readonly label: string;
}

/** Ticks at round times (1, 2 or 5 × a power of ten), at least `minSpacing` pixels apart. */
export function ticks(viewport: Viewport, width: number, minSpacing = 80): Tick[] {
  const step = niceStep(viewport.secondsPerPixel * minSpacing);
  const first = Math.ceil(viewport.start / step);
  const last = Math.floor(timeAt(viewport, width) / step);
  const result: Tick[] = [];
  for (let index = first; index <= last && result.length < 1000; index++) {
    const t = index * step;
    result.push({ x: xOf(viewport, t), t, label: formatOffset(t, step) });
  }
  return result;
}

export function niceStep(minimum: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(minimum)));
  for (const multiple of [1, 2, 5, 10]) {
    // toPrecision: 2 × 1e-4 is 0.00019999999999999998 in binary; ticks want the round value.
    const step = Number((multiple * power).toPrecision(12));
    if (step >= minimum) {
      return step;
    }
  }
  return 10 * power;
}

/** `0 s`, `250 ms`, `1.5 s`, `2 min 30 s`, `12 µs`: precise enough to tell ticks `step` apart. */
export function formatOffset(t: number, step: number): string {
  const sign = t < 0 ? '-' : '';
  const value = Math.abs(t);
  if (value === 0) {
    return '0 s';
  }
  if (step < 1e-3) {
    return `${sign}${trim(value * 1e6, decimalsFor(step * 1e6))} µs`;
  }
  if (step < 1) {
    return `${sign}${trim(value * 1e3, decimalsFor(step * 1e3))} ms`;
  }
  if (value < 60) {
    return `${sign}${trim(value, decimalsFor(step))} s`;
  }
  const minutes = Math.floor(value / 60);
  const seconds = Math.round(value - minutes * 60);
  return seconds === 0 ? `${sign}${minutes} min` : `${sign}${minutes} min ${seconds} s`;
}

/** A duration for hover text: `850 µs`, `12.3 ms`, `4.56 s`, `3 min 5 s`. */
export function formatDuration(seconds: number): string {
  const value = Math.max(0, seconds);
  if (value < 1e-3) {
    return `${Math.round(value * 1e6)} µs`;
  }
  if (value < 1) {
    return `${trim(value * 1e3, value < 0.01 ? 2 : 1)} ms`;
  }
  if (value < 60) {
    return `${trim(value, 2)} s`;
  }
  const minutes = Math.floor(value / 60);
  return `${minutes} min ${Math.round(value - minutes * 60)} s`;
}

function decimalsFor(step: number): number {
  return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

function trim(value: number, decimals: number): string {
  return value.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
