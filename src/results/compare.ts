import { UsageError } from "../errors.ts";
import type { RunReport, ScenarioStatus } from "../report/types.ts";

/** One scenario's measurements in one report: its worst status and the medians over its attempts. */
export interface Side {
  status: ScenarioStatus;
  runs: number;
  ttdMs: number | null;
  rtoMs: number | null;
}

export interface ScenarioComparison {
  name: string;
  base?: Side;
  next?: Side;
  /** (new - base) / base of the median TTD and RTO, when both were measured. */
  ttdChange?: number;
  rtoChange?: number;
  /** Why the RTO counts as a regression beyond the margin; absent when it does not. */
  regression?: string;
}

export interface Comparison {
  scenarios: ScenarioComparison[];
  /** The margin applied, as a fraction (0.2 for 20%); absent when none was given. */
  maxRtoRegression?: number;
  /** One line per scenario whose RTO regressed beyond the margin. */
  regressions: string[];
}

/**
 * `20%` (or `20`) as the fraction 0.2. The flag's name is in the message of a bad value.
 */
export function parseMargin(text: string, flag = "--max-rto-regression"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) throw new UsageError(`${flag} must be a percentage such as 20% (got ${JSON.stringify(text)})`);
  return Number(m[1]) / 100;
}

const side = (report: RunReport, name: string): Side | undefined => {
  const a = report.aggregates.find((x) => x.name === name);
  return a && { status: a.status, runs: a.runs, ttdMs: a.ttd.median, rtoMs: a.rto.median };
};

const change = (base: number | null | undefined, next: number | null | undefined) =>
  base !== null && base !== undefined && next !== null && next !== undefined && base > 0
    ? (next - base) / base
    : undefined;

/**
 * Compares two runs scenario by scenario (by name, in the base's order, then the new ones),
 * on the median TTD and RTO of each (report.aggregates). With `maxRtoRegression`, a
 * scenario regresses when its new median RTO is more than that fraction above the base's,
 * or when it recovered in the base and not in the new run. A scenario missing from either
 * side, or skipped in the new run, is shown, never a regression.
 */
export function compareReports(base: RunReport, next: RunReport, o: { maxRtoRegression?: number } = {}): Comparison {
  const names = [...new Set([...base.aggregates.map((a) => a.name), ...next.aggregates.map((a) => a.name)])];
  const regressions: string[] = [];
  const scenarios = names.map((name): ScenarioComparison => {
    const b = side(base, name);
    const n = side(next, name);
    const ttdChange = change(b?.ttdMs, n?.ttdMs);
    const rtoChange = change(b?.rtoMs, n?.rtoMs);
    let regression: string | undefined;
    // Skipped in the new run (its cluster lacks what the scenario requires): not measured, no regression.
    if (o.maxRtoRegression !== undefined && b?.rtoMs != null && n && n.status !== "skipped") {
      const limit = b.rtoMs * (1 + o.maxRtoRegression);
      if (n.rtoMs === null) regression = `recovered in ${b.rtoMs}ms in the base run, not at all in the new one`;
      else if (n.rtoMs > limit)
        regression = `RTO ${n.rtoMs}ms is ${pct(rtoChange!)} above the base's ${b.rtoMs}ms (allowed: ${pct(o.maxRtoRegression)}, up to ${Math.floor(limit)}ms)`;
    }
    if (regression) regressions.push(`${name}: ${regression}`);
    return {
      name,
      ...(b ? { base: b } : {}),
      ...(n ? { next: n } : {}),
      ...(ttdChange !== undefined ? { ttdChange } : {}),
      ...(rtoChange !== undefined ? { rtoChange } : {}),
      ...(regression ? { regression } : {}),
    };
  });
  return {
    scenarios,
    regressions,
    ...(o.maxRtoRegression !== undefined ? { maxRtoRegression: o.maxRtoRegression } : {}),
  };
}

/** A signed percentage: `+42.0%`, `-3.5%`. */
export function pct(fraction: number): string {
  const v = Math.round(fraction * 1000) / 10;
  return `${v > 0 ? "+" : ""}${v.toFixed(1)}%`;
}
