/**
 * summary.md: a compact table for a CI job summary ($GITHUB_STEP_SUMMARY), one row per
 * scenario (median / p95 / max under --repeat), then why each failed attempt failed and why
 * each skipped scenario was skipped.
 */
import { STATUS_ORDER, statusCounts } from "../report/status.ts";
import type { DurationStats, RunReport, ScenarioAggregate, ScenarioRun, ScenarioStatus } from "../report/types.ts";
import { verdict } from "../report/verdict.ts";
import { mdText } from "./escape.ts";
import { duration, hasRpo, headline, runTitle, seconds, skippedScenarios, unmeasured, whyNotPassed } from "./format.ts";
import { phaseTable } from "./phase-table.ts";
import type { Reporter } from "./reporter.ts";

const STATUS: Record<ScenarioStatus, string> = {
  passed: "✅ passed",
  failed: "❌ failed",
  error: "⚠️ error",
  aborted: "⛔ aborted",
  skipped: "⏭️ skipped",
};

type Missing = { text: string; miss: boolean };

const missingCell = (m: Missing) => (m.miss ? `**${m.text}**` : m.text);

/** One measured value against its target: `8.42s`, `**41.3s** (+11.3s)`, `**not detected**`. */
function measured(value: number | null, target: number, missing: Missing): string {
  const v = verdict(value, target);
  if (v.value === null) return missingCell(missing);
  return v.missed ? `**${duration(v.value)}** (+${duration(v.overMs)})` : duration(v.value);
}

function spread(s: DurationStats, target: number, missing: Missing): string {
  if (s.count === 0) return missingCell(missing);
  const cell = (v: number | null) => (v !== null && v > target ? `**${duration(v)}**` : duration(v));
  return `${cell(s.median)} / ${cell(s.p95)} / ${cell(s.max)}`;
}

/**
 * Acknowledged writes lost per attempt against the target, for the RPO column: `0 of 412 (≤ 0)`,
 * under --repeat one figure per attempt: `0 of 410, **3** of 398, unknown of 6 (≤ 0)` (unknown:
 * the store could not be read back).
 */
function rpoCell(runs: readonly ScenarioRun[]): string {
  const counted = runs.flatMap((r) => (r.rpo ? [r.rpo] : []));
  if (counted.length === 0) return "—";
  const lost = (c: (typeof counted)[number]) =>
    c.lost === null ? "unknown" : c.lost > c.target ? `**${c.lost}**` : String(c.lost);
  const targets = [...new Set(counted.map((c) => c.target))].join(", ");
  return `${counted.map((c) => `${lost(c)} of ${c.acknowledged}`).join(", ")} (≤ ${targets})`;
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(report: RunReport, aggs: ScenarioAggregate[]): string[] {
  const repeated = aggs.some((a) => a.runs > 1);
  const withRpo = hasRpo(report);
  const rpoHead = withRpo ? ["RPO: acknowledged writes lost"] : [];
  const head = repeated
    ? [
        "Scenario",
        "Status",
        "Passed",
        "TTD median / p95 / max",
        "TTD target",
        "RTO median / p95 / max",
        "RTO target",
        ...rpoHead,
        "Signals",
      ]
    : ["Scenario", "Status", "TTD", "TTD target", "RTO", "RTO target", ...rpoHead, "Signals"];
  const align = head.map((h) => (/TTD|RTO|Passed/.test(h) ? "--:" : ":--"));
  const rows = aggs.map((a) => {
    const runs = report.scenarios.filter((s) => s.name === a.name);
    const sim = runs.filter((s) => s.simulated).length;
    const signals =
      a.status === "skipped"
        ? "—"
        : sim === 0
          ? "real"
          : repeated
            ? `⚠️ simulated (${sim}/${runs.length})`
            : "⚠️ simulated";
    const target = (ms: number) => `≤ ${duration(ms)}`;
    const rpo = withRpo ? [rpoCell(runs)] : [];
    if (repeated) {
      return row([
        mdText(a.name),
        STATUS[a.status],
        `${a.passed}/${a.runs}`,
        spread(a.ttd, a.targets.ttdMs, unmeasured(a.status, "TTD")),
        target(a.targets.ttdMs),
        spread(a.rto, a.targets.rtoMs, unmeasured(a.status, "RTO")),
        target(a.targets.rtoMs),
        ...rpo,
        signals,
      ]);
    }
    const run = runs[0];
    const ttd = run ? measured(run.ttdMs, a.targets.ttdMs, unmeasured(run.status, "TTD")) : duration(a.ttd.median);
    const rto = run ? measured(run.rtoMs, a.targets.rtoMs, unmeasured(run.status, "RTO")) : duration(a.rto.median);
    return row([
      mdText(a.name),
      STATUS[a.status],
      ttd,
      target(a.targets.ttdMs),
      rto,
      target(a.targets.rtoMs),
      ...rpo,
      signals,
    ]);
  });
  return [row(head), row(align), ...rows];
}

function timeByPhase(report: RunReport): string[] {
  const t = phaseTable(report);
  if (!t) return [];
  const table = t.rows.length
    ? [
        row(t.head),
        row(t.head.map((_, i) => (i === 0 ? ":--" : "--:"))),
        ...t.rows.map((r) => row([mdText(r.title), ...r.cells])),
      ]
    : [];
  return ["", "### Time by phase", "", ...table, ...(table.length ? [""] : []), t.line];
}

function whySkipped(report: RunReport): string[] {
  const skipped = skippedScenarios(report);
  if (skipped.length === 0) return [];
  const out = ["", "### Skipped (not started, nothing created)", ""];
  for (const { run, attempts } of skipped) {
    const n = attempts > 1 ? `, ${attempts} attempts` : "";
    out.push(`- **${mdText(run.name)}** (${mdText(run.file)}${n}): ${mdText(run.reasons.join("; "))}`);
  }
  return out;
}

function whyItFailed(report: RunReport): string[] {
  const bad = report.scenarios.filter(
    (s) => (s.status !== "passed" && s.status !== "skipped") || !s.cleanup.ok || s.cleanup.notRestored,
  );
  if (bad.length === 0) return [];
  const out = ["", "### Why it failed", ""];
  for (const run of bad) {
    out.push(`- **${mdText(runTitle(report, run))}** — ${run.status} (${mdText(run.file)})`);
    for (const r of whyNotPassed(run)) out.push(`  - ${mdText(r)}`);
    if (run.simulated && run.status !== "passed") out.push("  - ⚠️ the verdict used simulated evidence");
    if (!run.cleanup.ok)
      out.push(`  - cleanup left behind: ${mdText(run.cleanup.leftovers.join(", ") || "(unknown)")}`);
    for (const n of run.cleanup.notRestored ?? []) out.push(`  - not brought back as it was: ${mdText(n)}`);
  }
  return out;
}

export function renderMarkdown(report: RunReport): string {
  const aggs = report.aggregates;
  const c = statusCounts(report.scenarios);
  const icon = report.status === "passed" ? "✅" : report.status === "skipped" ? "⏭️" : "❌";
  const counts = STATUS_ORDER.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  const cluster = `${mdText(report.cluster.name)}${report.cluster.serverVersion ? ` (${mdText(report.cluster.serverVersion)})` : ""}`;
  const lines = [
    `## ${icon} kubedrill ${report.status}: ${headline(report)}`,
    "",
    [
      `Run ${mdText(report.runId)}`,
      `provider **${mdText(report.provider)}**`,
      `cluster ${cluster}`,
      `${report.scenarios.length} attempts: ${counts.join(", ") || "none"}`,
      `took ${duration(seconds(report.startedAt, report.finishedAt) * 1000)}`,
      report.options.remediate ? "remediation on" : "remediation off",
      ...(report.options.dryRun ? ["dry run"] : []),
    ].join(" · "),
    "",
    ...(report.cluster.unavailable !== undefined
      ? [`> **No cluster**: ${mdText(report.cluster.unavailable)}; no scenario was run.`, ""]
      : []),
    ...table(report, aggs),
    ...whyItFailed(report),
    ...whySkipped(report),
    ...timeByPhase(report),
  ];
  if (report.scenarios.some((s) => s.simulated)) {
    lines.push(
      "",
      "> ⚠️ **simulated**: some evidence came from a model of the data plane, not from the cluster itself.",
    );
  }
  return `${lines.join("\n")}\n`;
}

export const markdownReporter: Reporter = { fileName: "summary.md", render: renderMarkdown };
