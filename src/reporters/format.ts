/** Formatting shared by the reporters: durations, offsets, titles, why an attempt did not pass. */
import { formatMs } from "../util/duration.ts";
import type { RunReport, ScenarioRun, ScenarioStatus, TimelineEntry } from "../report/types.ts";
import { exceeded } from "../report/verdict.ts";

/** `41.3s`, `850ms`, `2m05s`; `—` for null (not measured). */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return formatMs(Math.max(0, ms));
}

/** Offset from fault injection: `+41.3s`, `−5.00s`, `0s`. */
export function offset(ms: number): string {
  if (ms === 0) return "0s";
  return `${ms < 0 ? "\u2212" : "+"}${formatMs(Math.abs(ms))}`;
}

/**
 * What to call a TTD or RTO that has no value: `not detected` / `not recovered` is a miss
 * when the attempt ran to its verdict; when it errored or was aborted first, or was skipped,
 * the value was simply `not measured`, which is not a target miss.
 */
export function unmeasured(status: ScenarioStatus, label: "TTD" | "RTO"): { text: string; miss: boolean } {
  if (status === "error" || status === "aborted" || status === "skipped") return { text: "not measured", miss: false };
  return { text: label === "TTD" ? "not detected" : "not recovered", miss: true };
}

/** `0 of 412 acknowledged writes lost (target 0)`: an attempt's RPO counted in writes. */
export function rpoText(rpo: NonNullable<ScenarioRun["rpo"]>): string {
  if (rpo.lost === null)
    return `not read back: ${rpo.acknowledged} acknowledged writes, lost unknown (target ${rpo.target})`;
  return `${rpo.lost} of ${rpo.acknowledged} acknowledged writes lost (target ${rpo.target})`;
}

/** True when more acknowledged writes were lost than the target allows (unknown is not a measured miss). */
export const rpoMissed = (rpo: NonNullable<ScenarioRun["rpo"]> | undefined) =>
  rpo !== undefined && rpo.lost !== null && rpo.lost > rpo.target;

/** Whether any attempt of the report counted an RPO in writes (the reports then show a column for it). */
export const hasRpo = (report: RunReport) => report.scenarios.some((s) => s.rpo !== undefined);

/** How many attempts the scenario named `name` has in this report. */
function attemptsOf(report: RunReport, name: string): number {
  return Math.max(report.options.repeat, report.scenarios.filter((s) => s.name === name).length);
}

/** `zone-unavailable`, or `disk-full (attempt 2/3)` under --repeat. */
export function runTitle(report: RunReport, run: ScenarioRun): string {
  const total = attemptsOf(report, run.name);
  return total > 1 ? `${run.name} (attempt ${run.attempt}/${total})` : run.name;
}

/**
 * Why the attempt did not pass. The runner's `reasons` come first; when it gave none
 * for a failed attempt, say which target was missed and by how much.
 */
export function whyNotPassed(run: ScenarioRun): string[] {
  if (run.status === "passed") return [];
  if (run.reasons.length > 0) return run.reasons;
  if (run.status !== "failed") return [`scenario ${run.status} (no reason recorded)`];
  const out: string[] = [];
  for (const [label, value, target] of [
    ["TTD", run.ttdMs, run.targets.ttdMs],
    ["RTO", run.rtoMs, run.targets.rtoMs],
  ] as const) {
    if (value === null) out.push(`${label} not reached (target ${target}ms)`);
    else out.push(...exceeded(label, value, target));
  }
  return out.length > 0 ? out : ["scenario failed (no reason recorded)"];
}

/**
 * The skipped scenarios of a run, one entry per scenario (its attempts were all skipped for
 * the same reason: what the cluster lacks), in the order they appear.
 */
export function skippedScenarios(report: RunReport): { run: ScenarioRun; attempts: number }[] {
  const out: { run: ScenarioRun; attempts: number }[] = [];
  for (const run of report.scenarios.filter((s) => s.status === "skipped")) {
    const seen = out.find((o) => o.run.name === run.name && o.run.file === run.file);
    if (seen) seen.attempts += 1;
    else out.push({ run, attempts: 1 });
  }
  return out;
}

/** `1 of 3 scenarios passed`, `, 2 skipped` after it; `every scenario was skipped: none ran` when nothing ran. */
export function headline(report: RunReport): string {
  const aggs = report.aggregates;
  const skipped = aggs.filter((a) => a.status === "skipped").length;
  if (aggs.length > 0 && skipped === aggs.length)
    return `every scenario was skipped (the cluster lacks what ${aggs.length === 1 ? "it requires" : "they require"}): none ran`;
  const passed = aggs.filter((a) => a.status === "passed").length;
  return `${passed} of ${aggs.length} scenarios passed${skipped ? `, ${skipped} skipped` : ""}`;
}

/** Seconds between two ISO times, never negative or NaN. */
export function seconds(startedAt: string, finishedAt: string): number {
  const s = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  return Number.isFinite(s) && s > 0 ? s : 0;
}

/** The moment of fault injection, epoch ms: the first `inject` entry, else startedAt. */
export function injectedAt(run: ScenarioRun): number {
  const inject = run.timeline.find((t) => t.phase === "inject");
  if (inject?.offsetMs !== undefined) return Date.parse(inject.at) - inject.offsetMs;
  return Date.parse(inject?.at ?? run.startedAt);
}

/** Offset of a timeline entry or evidence from injection, ms (computed from `at` if absent). */
export function offsetOf(item: Pick<TimelineEntry, "at" | "offsetMs">, injectMs: number): number {
  if (item.offsetMs !== undefined && Number.isFinite(item.offsetMs)) return item.offsetMs;
  const at = Date.parse(item.at);
  return Number.isFinite(at) && Number.isFinite(injectMs) ? at - injectMs : 0;
}

/** `2025-11-28 09:14:02 UTC` from an ISO time (the input unchanged if it does not parse). */
export function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC` : iso;
}
