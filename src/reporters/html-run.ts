/** One attempt's card in report.html: verdicts, reasons, timeline chart, evidence, cleanup. */
import { html } from "./escape.ts";
import type { ScenarioRun } from "../report/types.ts";
import { verdict } from "../report/verdict.ts";
import {
  duration,
  injectedAt,
  offset,
  offsetOf,
  rpoMissed,
  seconds,
  unmeasured,
  when,
  whyNotPassed,
} from "./format.ts";
import { timelineSvg } from "./html-chart.ts";

function figure(run: ScenarioRun, label: "TTD" | "RTO"): string {
  const target = label === "TTD" ? run.targets.ttdMs : run.targets.rtoMs;
  const v = verdict(label === "TTD" ? run.ttdMs : run.rtoMs, target);
  const missing = unmeasured(run.status, label);
  const shown = v.value === null ? missing.text : duration(v.value);
  const cls = v.value === null ? (missing.miss ? " miss" : " muted") : v.missed ? " miss" : "";
  const none = missing.miss
    ? `<span class="miss">target ${html(duration(target))} missed</span>`
    : `<span>${run.status} before it was measured (target ${html(duration(target))})</span>`;
  const note =
    v.value === null
      ? none
      : v.missed
        ? `<span class="miss">${html(duration(v.overMs))} over target ${html(duration(target))}</span>`
        : `<span class="ok">within target ${html(duration(target))}</span>`;
  const name = label === "TTD" ? "Time to detect" : "Time to recover";
  return `<div class="fig ${label.toLowerCase()}"><div class="k">${name} (${label})</div><div class="v${cls}">${html(shown)}</div><div class="t">${note}</div></div>`;
}

/** The RPO counted in writes: acknowledged writes lost against the target. */
function rpoFigure(rpo: NonNullable<ScenarioRun["rpo"]>): string {
  const missed = rpoMissed(rpo);
  const note =
    rpo.lost === null
      ? `<span class="miss">not read back: the store could not be read (target ${rpo.target})</span>`
      : missed
        ? `<span class="miss">${rpo.lost - rpo.target} over target ${rpo.target}</span>`
        : `<span class="ok">within target ${rpo.target}</span>`;
  const of = `of ${rpo.acknowledged} acknowledged${rpo.notAcknowledged ? `, ${rpo.notAcknowledged} not acknowledged` : ""}`;
  return `<div class="fig rpo"><div class="k">Acknowledged writes lost (RPO)</div><div class="v${missed ? " miss" : rpo.lost === null ? " muted" : ""}">${rpo.lost ?? "unknown"}</div><div class="t">${note} · ${html(of)}</div></div>`;
}

function evidenceTable(run: ScenarioRun, zero: number): string {
  if (run.evidence.length === 0) return `<p class="sub">No evidence was recorded.</p>`;
  const rows = run.evidence.map((e) => {
    const mark = e.simulated ? ` <span class="badge sim">simulated</span>` : "";
    return `<tr${e.simulated ? ` class="simulated"` : ""}><td class="num mono">${html(offset(offsetOf(e, zero)))}</td><td class="nw">${html(e.kind)}${mark}</td><td class="mono signal">${html(e.signal ?? "")}</td><td class="mono">${html(e.text)}</td></tr>`;
  });
  return `<details${run.status === "passed" ? "" : " open"}><summary>Evidence (${run.evidence.length})</summary><table class="evidence"><colgroup><col class="when"><col class="kind"><col class="signal"><col class="seen"></colgroup><thead><tr><th class="num">When</th><th>Kind</th><th>Signal</th><th>What was seen</th></tr></thead><tbody>${rows.join("")}</tbody></table></details>`;
}

function timelineTable(run: ScenarioRun, zero: number): string {
  const rows = run.timeline.map(
    (t) =>
      `<tr><td class="num mono">${html(offset(offsetOf(t, zero)))}</td><td class="nw">${html(t.phase)}</td><td>${html(t.what)}</td><td class="mono nw">${html(t.at)}</td></tr>`,
  );
  return `<details><summary>Timeline (${run.timeline.length} entries)</summary><table><thead><tr><th class="num">Offset</th><th>Phase</th><th>What happened</th><th>At</th></tr></thead><tbody>${rows.join("")}</tbody></table></details>`;
}

/** A skipped attempt's card: why, and that nothing was started; no figures, chart or evidence. */
function skippedCard(run: ScenarioRun, title: string, anchor: string): string {
  return [
    `<article class="run skipped" id="${html(anchor)}">`,
    `<div class="run-head"><h3>${html(title)}</h3><span class="badge skipped">skipped</span></div>`,
    `<p class="sub"><code>${html(run.file)}</code> · provider ${html(run.provider)} · not started, nothing created, nothing measured</p>`,
    `<ul class="reasons skipped">${run.reasons.map((r) => `<li>${html(r)}</li>`).join("")}</ul>`,
    `</article>`,
  ].join("\n");
}

/** The card for one attempt; `title` already says which attempt it is. */
export function runCard(run: ScenarioRun, title: string, anchor: string): string {
  if (run.status === "skipped") return skippedCard(run, title, anchor);
  const zero = injectedAt(run);
  const reasons = whyNotPassed(run);
  const sim = run.simulated ? ` <span class="badge sim">simulated evidence</span>` : "";
  const took = duration(seconds(run.startedAt, run.finishedAt) * 1000);
  const cleanup = run.cleanup.ok
    ? run.cleanup.notRestored
      ? `<div class="cleanup bad">Cleanup: nothing left behind, but not as it was: ${html(run.cleanup.notRestored.join("; "))}</div>`
      : `<div class="cleanup ok">Cleanup: everything removed</div>`
    : `<div class="cleanup bad">Cleanup failed, left behind: ${html(run.cleanup.leftovers.join(", ") || "(unknown)")}</div>`;
  return [
    `<article class="run ${run.status}" id="${html(anchor)}">`,
    `<div class="run-head"><h3>${html(title)}</h3><span class="badge ${run.status}">${run.status}</span>${sim}</div>`,
    `<p class="sub"><code>${html(run.file)}</code> · namespace <code>${html(run.namespace)}</code> · provider ${html(run.provider)} · took ${html(took)} · started ${html(when(run.startedAt))}</p>`,
    `<div class="figures">${figure(run, "TTD")}${figure(run, "RTO")}${run.rpo ? rpoFigure(run.rpo) : ""}</div>`,
    reasons.length > 0
      ? `<ul class="reasons ${run.status}">${reasons.map((r) => `<li>${html(r)}</li>`).join("")}</ul>`
      : "",
    timelineSvg(run),
    evidenceTable(run, zero),
    timelineTable(run, zero),
    cleanup,
    `</article>`,
  ].join("\n");
}
