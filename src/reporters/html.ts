/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched).
 * A header with the run and its counts, a summary table, then a card with a timeline
 * chart for every attempt, grouped by scenario under --repeat.
 */
import { STATUS_ORDER, statusCounts } from "../report/status.ts";
import {
  type DurationStats,
  PHASES,
  type RunReport,
  type ScenarioAggregate,
  type ScenarioRun,
} from "../report/types.ts";
import { verdict } from "../report/verdict.ts";
import { html } from "./escape.ts";
import { duration, hasRpo, headline, rpoMissed, runTitle, seconds, unmeasured, when } from "./format.ts";
import { runCard } from "./html-run.ts";
import { phaseTable } from "./phase-table.ts";
import { STYLE } from "./html-style.ts";
import type { Reporter } from "./reporter.ts";

function header(report: RunReport): string {
  const c = statusCounts(report.scenarios);
  const cluster =
    report.cluster.unavailable !== undefined
      ? `none: ${report.cluster.unavailable}`
      : `${report.cluster.name}${report.cluster.serverVersion ? ` (${report.cluster.serverVersion})` : ""}`;
  const opts = report.options;
  const meta: [string, string][] = [
    ["Run id", report.runId],
    ["Provider", report.provider],
    ["Cluster", cluster],
    ["Started", when(report.startedAt)],
    ["Duration", duration(seconds(report.startedAt, report.finishedAt) * 1000)],
    [
      "Options",
      `repeat ${opts.repeat} · parallel ${opts.parallel} · remediation ${opts.remediate ? "on" : "off"}${opts.dryRun ? " · dry run" : ""}`,
    ],
  ];
  const counts = STATUS_ORDER.map(
    (s) => `<span class="count ${s}${c[s] === 0 ? " zero" : ""}"><b>${c[s]}</b>${s}</span>`,
  ).join("");
  return `<header class="top"><div class="wrap">
<div class="brand">kubedrill ${html(report.tool.version)} · chaos drill report</div>
<h1><span class="badge ${report.status}">${report.status}</span> ${html(headline(report))}</h1>
<dl class="meta">${meta.map(([k, v]) => `<div><dt>${k}</dt><dd>${html(v)}</dd></div>`).join("")}</dl>
<div class="counts" aria-label="attempts by status">${counts}</div>
${leftovers(report)}</div></header>`;
}

type Missing = { text: string; miss: boolean };

const missingCell = (m: Missing) => `<span class="${m.miss ? "miss" : "muted"}">${m.text}</span>`;

/** A warning banner when cleanup left anything behind (it matters more than any verdict). */
function leftovers(report: RunReport): string {
  const bad = report.scenarios.filter((s) => !s.cleanup.ok);
  if (bad.length === 0) return "";
  const items = bad.map(
    (s) => `<li><b>${html(runTitle(report, s))}</b>: ${html(s.cleanup.leftovers.join(", ") || "(unknown)")}</li>`,
  );
  return `<div class="warn"><b>Cleanup left resources behind</b> — remove them by hand:<ul>${items.join("")}</ul></div>`;
}

function cell(value: number | null, target: number, missing: Missing): string {
  const v = verdict(value, target);
  if (v.value === null) return missingCell(missing);
  return v.missed
    ? `<span class="miss">${html(duration(v.value))} (+${html(duration(v.overMs))})</span>`
    : html(duration(v.value));
}

function spread(s: DurationStats, target: number, missing: Missing): string {
  if (s.count === 0) return missingCell(missing);
  const one = (v: number | null) =>
    v !== null && v > target ? `<span class="miss">${html(duration(v))}</span>` : html(duration(v));
  return `${one(s.median)} / ${one(s.p95)} / ${one(s.max)}`;
}

function summary(report: RunReport, aggs: ScenarioAggregate[], anchors: Map<ScenarioRun, string>): string {
  const repeated = aggs.some((a) => a.runs > 1);
  const withRpo = hasRpo(report);
  const rows = aggs.map((a) => {
    const runs = report.scenarios.filter((s) => s.name === a.name);
    const first = runs[0];
    const link = first
      ? `<a href="#${html(repeated ? `group-${aggs.indexOf(a) + 1}` : anchors.get(first)!)}">${html(a.name)}</a>`
      : html(a.name);
    const sim = runs.filter((s) => s.simulated).length;
    const signals =
      a.status === "skipped"
        ? `<span class="muted">—</span>`
        : sim === 0
          ? "real"
          : `<span class="badge sim">simulated${repeated ? ` ${sim}/${runs.length}` : ""}</span>`;
    const ttd =
      repeated || !first
        ? spread(a.ttd, a.targets.ttdMs, unmeasured(a.status, "TTD"))
        : cell(first.ttdMs, a.targets.ttdMs, unmeasured(first.status, "TTD"));
    const rto =
      repeated || !first
        ? spread(a.rto, a.targets.rtoMs, unmeasured(a.status, "RTO"))
        : cell(first.rtoMs, a.targets.rtoMs, unmeasured(first.status, "RTO"));
    const runsCell = repeated ? `<td class="num">${a.passed}/${a.runs}</td>` : "";
    const counted = runs.flatMap((r) => (r.rpo ? [r.rpo] : []));
    const lost = counted.map((c) =>
      c.lost === null ? "unknown" : rpoMissed(c) ? `<span class="miss">${c.lost}</span>` : String(c.lost),
    );
    const rpoCell = !withRpo
      ? ""
      : counted.length
        ? `<td class="num">${lost.join(", ")} <small>of ${html(counted.map((c) => c.acknowledged).join(", "))} (≤ ${html([...new Set(counted.map((c) => c.target))].join(", "))})</small></td>`
        : `<td class="num muted">—</td>`;
    return `<tr><td class="name">${link}</td><td><span class="badge ${a.status}">${a.status}</span></td>${runsCell}<td class="num">${ttd}</td><td class="num">${html(duration(a.targets.ttdMs))}</td><td class="num">${rto}</td><td class="num">${html(duration(a.targets.rtoMs))}</td>${rpoCell}<td>${signals}</td></tr>`;
  });
  const stat = repeated ? " <small>median / p95 / max</small>" : "";
  const head = `<tr><th>Scenario</th><th>Status</th>${repeated ? `<th class="num">Passed</th>` : ""}<th class="num">TTD${stat}</th><th class="num">TTD target</th><th class="num">RTO${stat}</th><th class="num">RTO target</th>${withRpo ? `<th class="num">RPO: acknowledged writes lost</th>` : ""}<th>Signals</th></tr>`;
  return `<h2>Summary</h2><div class="scroll"><table class="summary"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function timeByPhase(report: RunReport): string {
  const t = phaseTable(report);
  if (!t) return "";
  const head = t.head.map((h, i) => `<th${i === 0 ? "" : ` class="num"`}>${html(h)}</th>`).join("");
  const rows = t.rows.map(
    (r) =>
      `<tr><td class="name">${html(r.title)}</td>${r.cells.map((c) => `<td class="num">${html(c)}</td>`).join("")}</tr>`,
  );
  const table = rows.length
    ? `<div class="scroll"><table class="phases"><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`
    : "";
  return `<h2>Time by phase</h2>${table}<p class="stats">${html(t.line)}</p>`;
}

const LEGEND = `<div class="legend" aria-label="chart legend">
<span><i class="sw dash-ttd"></i>TTD target</span><span><i class="sw dash-rto"></i>RTO target</span>
<span><i class="sw bar-ttd"></i>measured TTD</span><span><i class="sw bar-rto"></i>measured RTO</span><span><i class="sw bar-over"></i>over target</span>
<span><i class="sw ev"></i>evidence from the cluster</span><span><i class="sw ev-sim"></i>simulated evidence</span>
<span>time axis: seconds relative to fault injection (0s)</span>
<span>phases:${PHASES.map((p) => ` <i class="sw ph ph-${p}"></i>${p}`).join("")}</span></div>`;

function groups(report: RunReport, aggs: ScenarioAggregate[], anchors: Map<ScenarioRun, string>): string {
  const repeated = aggs.some((a) => a.runs > 1);
  const card = (r: ScenarioRun) => runCard(r, runTitle(report, r), anchors.get(r)!);
  if (!repeated) return `<h2>Scenarios</h2>\n${report.scenarios.map(card).join("\n")}`;
  return aggs
    .map((a, i) => {
      const runs = report.scenarios.filter((s) => s.name === a.name).sort((x, y) => x.attempt - y.attempt);
      const stats = (l: string, s: DurationStats) =>
        `${l} median ${duration(s.median)}, p95 ${duration(s.p95)}, max ${duration(s.max)}`;
      const line =
        a.status === "skipped"
          ? `${a.runs} attempts skipped: not started, nothing measured`
          : `${a.passed} of ${a.runs} attempts passed · ${stats("TTD", a.ttd)} · ${stats("RTO", a.rto)}`;
      return `<section class="group" id="group-${i + 1}"><h2>${html(a.name)} <span class="badge ${a.status}">${a.status}</span></h2><p class="stats">${html(line)}</p>\n${runs.map(card).join("\n")}</section>`;
    })
    .join("\n");
}

export function renderHtml(report: RunReport): string {
  const aggs = report.aggregates;
  const anchors = new Map(report.scenarios.map((r, i) => [r, `run-${i + 1}`]));
  const title = `kubedrill ${report.status}: ${report.runId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${header(report)}
<main class="wrap">
${summary(report, aggs, anchors)}
${timeByPhase(report)}
${LEGEND}
${groups(report, aggs, anchors)}
</main>
<footer>Generated by kubedrill ${html(report.tool.version)} · run ${html(report.runId)} finished ${html(report.finishedAt)}</footer>
</body>
</html>
`;
}

export const htmlReporter: Reporter = { fileName: "report.html", render: renderHtml };
