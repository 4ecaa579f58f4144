/** The time scale and axis of the SVG timeline charts. */
import { html } from "./escape.ts";

export interface Scale {
  /** Domain, ms relative to fault injection. */
  lo: number;
  hi: number;
  /** Tick positions, ms. */
  ticks: number[];
  /** Maps ms to an x coordinate. */
  x(ms: number): number;
}

/** Tick steps that read well as seconds and minutes, in ms. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);

/**
 * A linear scale over [lo, hi] ms with a little room at both ends, and ticks on round
 * steps (about eight of them) inside it.
 */
export function scale(lo: number, hi: number, x0: number, x1: number): Scale {
  const span = Math.max(hi - lo, 1000);
  const step = STEPS.find((s) => span / s <= 9) ?? STEPS.at(-1)!;
  const from = lo - span * 0.02;
  const to = hi + span * 0.02;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { lo: from, hi: to, ticks, x: (ms: number) => x0 + ((ms - from) / (to - from)) * (x1 - x0) };
}

/** Rough width of text in the chart's sans-serif face, for label placement. */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.58;
}

/** Tick label, in seconds while ticks are under a minute apart: `0s`, `+45s`, `−10s`, `+90s`; else `+2m`. */
export function tickLabel(ms: number, stepMs: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "\u2212" : "+";
  const s = Math.abs(ms) / 1000;
  if (stepMs < 60_000) return `${sign}${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return `${sign}${m}m${rest ? `${rest}s` : ""}`;
}

/** Grid lines from `top` down to the axis line, tick marks and labels. */
export function axis(s: Scale, y: number, labelY: number, top: number): string {
  const step = (s.ticks[1] ?? s.hi) - (s.ticks[0] ?? s.lo);
  const x0 = s.x(s.lo);
  const x1 = s.x(s.hi);
  const grid = s.ticks.map((t) => {
    const x = s.x(t).toFixed(1);
    return `<line class="${t === 0 ? "grid zero" : "grid"}" x1="${x}" y1="${top}" x2="${x}" y2="${y}"/><line class="tick" x1="${x}" y1="${y}" x2="${x}" y2="${y + 5}"/><text class="tick-label" x="${x}" y="${labelY}" text-anchor="middle">${html(tickLabel(t, step))}</text>`;
  });
  return `<g class="axis">${grid.join("")}<line class="axis-line" x1="${x0.toFixed(1)}" y1="${y}" x2="${x1.toFixed(1)}" y2="${y}"/></g>`;
}
