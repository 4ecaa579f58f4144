/**
 * The per-scenario rows the summary reporters show. The runner normally fills
 * `report.aggregates`; when it did not (or missed a scenario), the rows are derived here
 * from the attempts so a report is never missing a scenario.
 */
import type { DurationStats, RunReport, ScenarioAggregate, ScenarioRun, ScenarioStatus } from "./types.ts";

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

export function durationStats(values: (number | null)[]): DurationStats {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length === 0
      ? null
      : sorted.length % 2 === 1
        ? sorted[Math.floor(mid)]!
        : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, median, p95: percentile(sorted, 95), max: sorted.at(-1) ?? null };
}

/** Worst status wins: aborted > error > failed > passed. */
function worst(runs: ScenarioRun[]): ScenarioStatus {
  for (const s of ["aborted", "error", "failed"] as const) if (runs.some((r) => r.status === s)) return s;
  return "passed";
}

function derive(name: string, runs: ScenarioRun[]): ScenarioAggregate {
  return {
    name,
    runs: runs.length,
    passed: runs.filter((r) => r.status === "passed").length,
    status: worst(runs),
    ttd: durationStats(runs.map((r) => r.ttdMs)),
    rto: durationStats(runs.map((r) => r.rtoMs)),
    targets: runs[0]!.targets,
  };
}

/** One aggregate per scenario name, in the order scenarios first appear. */
export function aggregatesOf(report: RunReport): ScenarioAggregate[] {
  const byName = new Map<string, ScenarioRun[]>();
  for (const run of report.scenarios) byName.set(run.name, [...(byName.get(run.name) ?? []), run]);
  const given = new Map(report.aggregates.map((a) => [a.name, a]));
  const out = [...byName].map(([name, runs]) => given.get(name) ?? derive(name, runs));
  for (const a of report.aggregates) if (!byName.has(a.name)) out.push(a);
  return out;
}
