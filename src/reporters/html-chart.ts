/**
 * The per-attempt timeline chart of report.html, as inline SVG (well-formed XML, no
 * script). Time runs left to right in seconds relative to fault injection; lanes show the
 * phases, the measured TTD and RTO as bars against their dashed target lines, and the
 * evidence, simulated evidence drawn hollow and labelled.
 */
import { html } from "./escape.ts";
import type { Phase, ScenarioRun } from "../report/types.ts";
import { verdict } from "../report/verdict.ts";
import { duration, injectedAt, offset, offsetOf, unmeasured } from "./format.ts";
import { axis, type Scale, scale, textWidth } from "./html-scale.ts";

const W = 1000;
const LEFT = 112;
const RIGHT = 28;
const Y = {
  label: [44, 29, 14],
  glyph: 56,
  phase: [64, 92],
  ttd: [104, 126],
  rto: [134, 156],
  evidence: 176,
  axis: 196,
  tick: 212,
  target: [232, 248],
} as const;
const H = 258;

/**
 * Places labels, taken left to right, centred on their x on the first row where they do
 * not overlap; when every row is taken, just after the label on the least crowded row
 * (or nowhere, when `optional`).
 */
function placer(rows: readonly number[], lo: number, hi: number, optional = false) {
  const ends = rows.map(() => -Infinity);
  return (x: number, text: string, size: number): { x: number; y: number } | null => {
    const w = textWidth(text, size);
    let left = Math.min(Math.max(x - w / 2, lo), hi - w);
    let row = ends.findIndex((end) => left > end + 8);
    if (row === -1 && optional) return null;
    if (row === -1) {
      row = ends.indexOf(Math.min(...ends));
      left = Math.min(ends[row]! + 10, hi - w);
    }
    ends[row] = left + w;
    return { x: left, y: rows[row]! };
  };
}

function phaseBands(run: ScenarioRun, zero: number, s: Scale, end: number): string[] {
  const entries = run.timeline.map((t) => ({ phase: t.phase, at: offsetOf(t, zero) })).sort((a, b) => a.at - b.at);
  const bands: { phase: Phase; from: number; to: number }[] = [];
  for (const e of entries) {
    const last = bands.at(-1);
    if (last?.phase === e.phase) continue;
    if (last) last.to = e.at;
    bands.push({ phase: e.phase, from: e.at, to: e.at });
  }
  const last = bands.at(-1);
  if (last) last.to = Math.max(last.to, end);
  const [y0, y1] = Y.phase;
  return bands.map((b) => {
    const x = s.x(b.from);
    const w = Math.max(2, s.x(b.to) - x);
    const label =
      textWidth(b.phase, 11) + 8 < w
        ? `<text class="phase-label" x="${(x + w / 2).toFixed(1)}" y="${y0 + 18}" text-anchor="middle">${html(b.phase)}</text>`
        : "";
    const title = `<title>${html(`${b.phase}: ${offset(b.from)} to ${offset(b.to)}`)}</title>`;
    return `<g><rect class="band ph-${b.phase}" x="${x.toFixed(1)}" y="${y0}" width="${w.toFixed(1)}" height="${y1 - y0}">${title}</rect>${label}</g>`;
  });
}

function bar(run: ScenarioRun, label: "TTD" | "RTO", s: Scale, ys: readonly [number, number]): string {
  const [y0, y1] = ys;
  const value = label === "TTD" ? run.ttdMs : run.rtoMs;
  const target = label === "TTD" ? run.targets.ttdMs : run.targets.rtoMs;
  const cls = label.toLowerCase();
  const v = verdict(value, target);
  const x0 = s.x(0);
  const mid = (y0 + y1) / 2 + 4;
  if (v.value === null) {
    const w = s.x(s.hi) - x0;
    const missing = unmeasured(run.status, label);
    const text = `${label} ${missing.text}${missing.miss ? ` · target ${duration(target)} missed` : ` · attempt ${run.status}`}`;
    const cls = missing.miss ? "miss" : "unmeasured";
    return `<rect class="bar-missing ${cls}" x="${x0.toFixed(1)}" y="${y0}" width="${w.toFixed(1)}" height="${y1 - y0}"/><text class="bar-label ${cls}" x="${(x0 + 8).toFixed(1)}" y="${mid}">${html(text)}</text>`;
  }
  const xv = s.x(v.value);
  const xt = Math.min(xv, s.x(target));
  const within = `<rect class="bar ${cls}" x="${x0.toFixed(1)}" y="${y0}" width="${Math.max(1, xt - x0).toFixed(1)}" height="${y1 - y0}"/>`;
  const over = v.missed
    ? `<rect class="bar over" x="${xt.toFixed(1)}" y="${y0}" width="${Math.max(1, xv - xt).toFixed(1)}" height="${y1 - y0}"/>`
    : "";
  const text = v.missed
    ? `${label} ${duration(v.value)} · ${duration(v.overMs)} over target`
    : `${label} ${duration(v.value)} · within target`;
  const fits = xv + 8 + textWidth(text, 12) < W - RIGHT;
  const pos = fits ? `x="${(xv + 8).toFixed(1)}"` : `x="${(xv - 8).toFixed(1)}" text-anchor="end"`;
  return `${within}${over}<text class="bar-label${v.missed ? " miss" : ""}${fits ? "" : " inside"}" ${pos} y="${mid}">${html(text)}</text>`;
}

/** Glyphs closer than this (px) are pulled apart, each keeping a leader line to its true time. */
const MIN_GAP = 18;

/**
 * Display positions for glyphs at sorted x positions: each at its own x unless that is
 * closer than MIN_GAP to the previous one, then pushed right; a group pushed past `hi` is
 * pulled back left as a whole.
 */
export function spread(xs: readonly number[], hi: number): number[] {
  const out: number[] = [];
  for (const x of xs) out.push(out.length ? Math.max(x, out.at(-1)! + MIN_GAP) : x);
  for (let i = out.length - 1; i >= 0; i--)
    out[i] = Math.min(out[i]!, i === out.length - 1 ? hi : out[i + 1]! - MIN_GAP);
  return out;
}

function markers(run: ScenarioRun, zero: number, s: Scale): string[] {
  const remediate = run.timeline.find((t) => t.phase === "remediate");
  const list: { cls: string; at: number; text: string }[] = [{ cls: "m-inject", at: 0, text: "inject" }];
  if (run.ttdMs !== null) list.push({ cls: "m-detect", at: run.ttdMs, text: `detected ${offset(run.ttdMs)}` });
  if (remediate)
    list.push({
      cls: "m-remediate",
      at: offsetOf(remediate, zero),
      text: `remediation ${offset(offsetOf(remediate, zero))}`,
    });
  if (run.rtoMs !== null) list.push({ cls: "m-recover", at: run.rtoMs, text: `recovered ${offset(run.rtoMs)}` });
  const place = placer(Y.label, LEFT, W - RIGHT);
  const sorted = list.sort((a, b) => a.at - b.at);
  const shown = spread(
    sorted.map((m) => s.x(m.at)),
    W - RIGHT,
  );
  return sorted.map((m, i) => {
    const x = s.x(m.at);
    const gx = shown[i]!;
    const p = place(gx, m.text, 12)!;
    // A glyph moved off its time keeps a leader down to it; the line below the phases stays at the true time.
    const top = gx === x ? Y.glyph : Y.phase[0];
    const leader =
      gx === x
        ? ""
        : `<line class="leader" x1="${gx.toFixed(1)}" y1="${Y.glyph}" x2="${x.toFixed(1)}" y2="${Y.phase[0]}"/>`;
    return `<g class="marker ${m.cls}"><line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${Y.axis}"/>${leader}<path d="M${gx.toFixed(1)} ${Y.glyph + 6}l-6 -9h12z"/><text x="${p.x.toFixed(1)}" y="${p.y}">${html(m.text)}</text></g>`;
  });
}

function targets(run: ScenarioRun, s: Scale): string[] {
  const place = placer(Y.target, LEFT, W - RIGHT);
  return [
    { cls: "t-ttd", at: run.targets.ttdMs, text: `TTD target ${duration(run.targets.ttdMs)}` },
    { cls: "t-rto", at: run.targets.rtoMs, text: `RTO target ${duration(run.targets.rtoMs)}` },
  ]
    .sort((a, b) => a.at - b.at)
    .map((t) => {
      const x = s.x(t.at);
      const p = place(x, t.text, 12)!;
      return `<g class="target ${t.cls}"><line x1="${x.toFixed(1)}" y1="${Y.phase[0] - 4}" x2="${x.toFixed(1)}" y2="${Y.target[0] - 12}"/><text x="${p.x.toFixed(1)}" y="${p.y}">${html(t.text)}</text></g>`;
    });
}

/**
 * The evidence lane: evidence seen within a few pixels of each other is drawn as one glyph
 * with a count (its tooltip lists every item), hollow and labelled when any is simulated.
 */
function evidence(run: ScenarioRun, zero: number, s: Scale): string[] {
  const place = placer([Y.evidence + 4], LEFT, W - RIGHT, true);
  const sorted = [...run.evidence].sort((a, b) => offsetOf(a, zero) - offsetOf(b, zero));
  const groups: { x: number; items: typeof sorted }[] = [];
  for (const e of sorted) {
    const x = s.x(offsetOf(e, zero));
    const last = groups.at(-1);
    if (last && x - last.x < 10) last.items.push(e);
    else groups.push({ x, items: [e] });
  }
  return groups.map(({ x, items }) => {
    const lines = items.map(
      (e) =>
        `${offset(offsetOf(e, zero))} ${e.simulated ? "[simulated] " : ""}${e.kind}${e.signal ? ` ${e.signal}` : ""}: ${e.text}`,
    );
    const title = `<title>${html(lines.join("\n"))}</title>`;
    const simCount = items.filter((e) => e.simulated).length;
    const sim = simCount > 0;
    const count = items.length > 1 ? `\u00d7${items.length}` : "";
    const label = !sim
      ? count
      : simCount === items.length
        ? `${count}${count ? " " : ""}simulated`
        : `${count}, ${simCount} simulated`;
    const p = label ? place(x + 10 + textWidth(label, 11) / 2, label, 11) : null;
    const tag =
      p && p.x > x
        ? `<text class="${sim ? "ev-sim-label" : "ev-count"}" x="${p.x.toFixed(1)}" y="${p.y}">${html(label)}</text>`
        : "";
    const glyph = sim
      ? `<rect class="ev-sim" x="${(x - 6).toFixed(1)}" y="${Y.evidence - 6}" width="12" height="12" transform="rotate(45 ${x.toFixed(1)} ${Y.evidence})">${title}</rect>`
      : `<circle class="ev" cx="${x.toFixed(1)}" cy="${Y.evidence}" r="6">${title}</circle>`;
    return `<g>${glyph}${tag}</g>`;
  });
}

/** The SVG chart for one attempt. */
export function timelineSvg(run: ScenarioRun): string {
  const zero = injectedAt(run);
  const offsets = [...run.timeline, ...run.evidence].map((t) => offsetOf(t, zero));
  const start = Math.min(0, offsetOf({ at: run.startedAt }, zero), ...offsets);
  const end = Math.max(0, offsetOf({ at: run.finishedAt }, zero), ...offsets);
  const s = scale(
    start,
    Math.max(end, run.targets.ttdMs, run.targets.rtoMs, run.ttdMs ?? 0, run.rtoMs ?? 0),
    LEFT,
    W - RIGHT,
  );
  const lanes = [
    ["phases", (Y.phase[0] + Y.phase[1]) / 2],
    ["TTD", (Y.ttd[0] + Y.ttd[1]) / 2],
    ["RTO", (Y.rto[0] + Y.rto[1]) / 2],
    ["evidence", Y.evidence],
  ] as const;
  const parts = [
    ...lanes.map(([t, y]) => `<text class="lane" x="${LEFT - 12}" y="${y + 4}" text-anchor="end">${t}</text>`),
    `<text class="lane small" x="${LEFT - 28}" y="${Y.tick}" text-anchor="end">since inject</text>`,
    axis(s, Y.axis, Y.tick, Y.phase[0]),
    ...phaseBands(run, zero, s, end),
    bar(run, "TTD", s, Y.ttd),
    bar(run, "RTO", s, Y.rto),
    ...targets(run, s),
    ...markers(run, zero, s),
    ...evidence(run, zero, s),
  ];
  const label = `Timeline of ${run.name}, attempt ${run.attempt}: TTD ${duration(run.ttdMs)} against ${duration(run.targets.ttdMs)}, RTO ${duration(run.rtoMs)} against ${duration(run.targets.rtoMs)}`;
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${html(label)}">${parts.join("")}</svg>`;
}
