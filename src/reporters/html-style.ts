/** The inline stylesheet of report.html: system fonts only, nothing fetched. */
import type { Phase } from "../report/types.ts";

/** Phase band colours, light enough for dark labels on top. */
const PHASE_COLOURS: Record<Phase, string> = {
  setup: "#e2e8f0",
  "steady-state": "#bfdbfe",
  inject: "#fca5a5",
  detect: "#fde68a",
  remediate: "#c4b5fd",
  recover: "#86efac",
  verify: "#5eead4",
  cleanup: "#cbd5e1",
};

const PHASE_RULES = Object.entries(PHASE_COLOURS)
  .map(([phase, colour]) => `svg .ph-${phase} { fill: ${colour}; } .sw.ph-${phase} { background: ${colour}; }`)
  .join("\n");

export const STYLE = `
:root { color-scheme: light; --ink: #1e293b; --muted: #475569; --line: #cbd5e1; --paper: #ffffff; --bg: #f1f5f9;
  --pass: #15803d; --pass-bg: #dcfce7; --fail: #b91c1c; --fail-bg: #fee2e2; --err: #9a3412; --err-bg: #ffedd5;
  --abort: #334155; --abort-bg: #e2e8f0; --skip: #1e40af; --skip-bg: #dbeafe; --ttd: #b45309; --rto: #6d28d9; --sim: #be185d; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.wrap { max-width: 1140px; margin: 0 auto; padding: 24px 20px 48px; }
header.top { background: #0f172a; color: #f8fafc; }
header.top .wrap { padding-bottom: 20px; }
.brand { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: #94a3b8; }
h1 { font-size: 26px; margin: 4px 0 14px; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
h2 { font-size: 19px; margin: 32px 0 12px; }
h3 { font-size: 18px; margin: 0; word-break: break-word; }
.meta { display: flex; flex-wrap: wrap; gap: 8px 40px; margin: 0; }
.meta div { min-width: 0; } .meta dt { font-size: 12px; color: #94a3b8; text-transform: uppercase; letter-spacing: .05em; }
.meta dd { margin: 0; font-weight: 600; word-break: break-word; }
.counts { display: flex; gap: 10px; margin-top: 16px; flex-wrap: wrap; }
.count { border-radius: 8px; padding: 6px 14px; font-weight: 600; background: #1e293b; border-left: 5px solid; }
.count.zero { opacity: .5; }
.count b { font-size: 20px; margin-right: 6px; }
.count.passed { border-color: #4ade80; } .count.failed { border-color: #f87171; } .count.error { border-color: #fb923c; } .count.aborted { border-color: #94a3b8; } .count.skipped { border-color: #93c5fd; }
.warn { margin-top: 16px; padding: 10px 14px; border-radius: 8px; background: #7f1d1d; color: #fff; border-left: 5px solid #f87171; }
.warn ul { margin: 4px 0 0; padding-left: 22px; }
.badge { display: inline-block; border-radius: 999px; padding: 2px 12px; font-size: 13px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; white-space: nowrap; }
.badge.passed { color: var(--pass); background: var(--pass-bg); } .badge.failed { color: var(--fail); background: var(--fail-bg); }
.badge.error { color: var(--err); background: var(--err-bg); } .badge.aborted { color: var(--abort); background: var(--abort-bg); }
.badge.skipped { color: var(--skip); background: var(--skip-bg); }
.badge.sim { color: var(--sim); background: #fce7f3; border: 1.5px dashed var(--sim); text-transform: none; }
table { border-collapse: collapse; width: 100%; background: var(--paper); border-radius: 10px; overflow: hidden; box-shadow: 0 1px 2px rgba(15,23,42,.08); }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); background: #f8fafc; }
th small { display: block; font-weight: 400; }
td.name { min-width: 10em; max-width: 26em; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; border-radius: 10px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.miss { color: var(--fail); font-weight: 700; } .ok { color: var(--pass); } .muted { color: var(--muted); }
a { color: #1d4ed8; }
.legend { display: flex; flex-wrap: wrap; gap: 8px 20px; margin: 16px 0 0; padding: 10px 14px; background: var(--paper); border-radius: 10px; font-size: 13px; color: var(--muted); }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.sw { display: inline-block; width: 22px; height: 12px; border-radius: 2px; }
.sw.dash-ttd { height: 0; border-top: 2.5px dashed var(--ttd); } .sw.dash-rto { height: 0; border-top: 2.5px dashed var(--rto); }
.sw.bar-ttd { background: #f59e0b; } .sw.bar-rto { background: #8b5cf6; } .sw.bar-over { background: #dc2626; }
.sw.ph { width: 14px; height: 12px; margin-left: 6px; }
.sw.ev { width: 12px; height: 12px; border-radius: 50%; background: #0f766e; }
.sw.ev-sim { width: 11px; height: 11px; transform: rotate(45deg); border: 2px dashed var(--sim); background: #fdf2f8; border-radius: 0; }
.group { margin-top: 28px; }
.group > h2 { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.stats { font-size: 14px; color: var(--muted); margin: -6px 0 12px; }
.run { background: var(--paper); border-radius: 12px; padding: 18px 20px; margin: 14px 0; box-shadow: 0 1px 3px rgba(15,23,42,.1); border-left: 6px solid var(--line); }
.run.passed { border-left-color: #22c55e; } .run.failed { border-left-color: #ef4444; } .run.error { border-left-color: #f97316; } .run.aborted { border-left-color: #64748b; } .run.skipped { border-left-color: #60a5fa; }
.run-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.sub { color: var(--muted); font-size: 13px; margin: 4px 0 12px; word-break: break-word; }
.figures { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0 12px; }
.fig { border: 1px solid #e2e8f0; border-radius: 10px; padding: 8px 14px; min-width: 200px; }
.fig .k { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.fig .v { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.fig .t { font-size: 13px; color: var(--muted); }
.fig.ttd { border-top: 4px solid var(--ttd); } .fig.rto { border-top: 4px solid var(--rto); }
.reasons { margin: 0 0 12px; padding: 10px 14px 10px 32px; background: var(--fail-bg); border-radius: 8px; color: #7f1d1d; }
.reasons.error { background: var(--err-bg); color: #7c2d12; } .reasons.aborted { background: var(--abort-bg); color: var(--abort); }
.reasons.skipped { background: var(--skip-bg); color: var(--skip); }
.reasons li { margin: 2px 0; word-break: break-word; }
svg.chart { width: 100%; height: auto; display: block; margin: 4px 0 8px; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .lane { font-size: 13px; font-weight: 700; fill: var(--muted); } svg .lane.small { font-size: 11px; font-weight: 400; }
svg .band { stroke: #fff; stroke-width: 1; }
svg .phase-label { font-size: 11px; fill: #1e293b; stroke: none; }
${PHASE_RULES}
svg .grid { stroke: #e2e8f0; stroke-width: 1; } svg .grid.zero { stroke: #94a3b8; }
svg .axis-line, svg .tick { stroke: #64748b; stroke-width: 1; }
svg .tick-label { font-size: 12px; fill: var(--muted); font-variant-numeric: tabular-nums; }
svg .bar.ttd { fill: #f59e0b; } svg .bar.rto { fill: #8b5cf6; } svg .bar.over { fill: #dc2626; }
svg .bar-missing { fill: #fef2f2; stroke: #dc2626; stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .bar-missing.unmeasured { fill: #f8fafc; stroke: #94a3b8; } svg .bar-label.unmeasured { fill: var(--muted); }
svg text { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .bar-label { font-size: 12px; font-weight: 600; fill: var(--ink); } svg .bar-label.miss { fill: var(--fail); }
svg .bar-label.inside { fill: #fff; stroke: none; }
svg .target line { stroke-width: 2.5; stroke-dasharray: 7 5; } svg .target text { font-size: 12px; font-weight: 700; }
svg .t-ttd line { stroke: var(--ttd); } svg .t-ttd text { fill: var(--ttd); }
svg .t-rto line { stroke: var(--rto); } svg .t-rto text { fill: var(--rto); }
svg .marker line { stroke-width: 1.5; opacity: .55; } svg .marker text { font-size: 12px; font-weight: 600; }
svg .m-inject { fill: #b91c1c; stroke: #b91c1c; } svg .m-detect { fill: #92400e; stroke: #92400e; }
svg .m-remediate { fill: #1d4ed8; stroke: #1d4ed8; } svg .m-recover { fill: #15803d; stroke: #15803d; }
svg .marker text { stroke: #fff; }
svg .ev { fill: #0f766e; stroke: #fff; stroke-width: 1.5; }
svg .ev-sim { fill: #fdf2f8; stroke: var(--sim); stroke-width: 2; stroke-dasharray: 3 2; }
svg .ev-sim-label { font-size: 11px; font-weight: 700; fill: var(--sim); }
svg .ev-count { font-size: 11px; font-weight: 700; fill: #0f766e; }
svg .marker .leader { stroke-width: 1.5; opacity: .8; stroke-dasharray: 2 2; }
details { margin-top: 8px; } summary { cursor: pointer; font-weight: 600; color: var(--muted); padding: 4px 0; }
details table { box-shadow: none; border: 1px solid #e2e8f0; font-size: 13px; margin-top: 6px; }
details td { overflow-wrap: anywhere; } details td.nw { white-space: nowrap; overflow-wrap: normal; }
table.evidence { table-layout: fixed; } table.evidence col.when { width: 6em; } table.evidence col.kind { width: 12.5em; }
table.evidence col.signal { width: 24%; } table.evidence td.signal { overflow-wrap: anywhere; }
tr.simulated td { background: #fdf2f8; }
.cleanup { font-size: 13px; margin-top: 8px; } .cleanup.bad { color: var(--fail); font-weight: 700; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 0 0 32px; }
`;
