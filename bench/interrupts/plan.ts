/** The interrupt matrix: which trials to run, and how their results are summed up. */
import { exitCodeForRun } from "../../src/cli/exit.ts";
import type { ScenarioStatus } from "../../src/report/types.ts";

export const PHASES = ["setup", "steady-state", "inject", "detect", "remediate", "recover", "cleanup"] as const;
export const WAYS = ["SIGINT", "SIGTERM", "npx-SIGTERM", "SIGKILL+cleanup"] as const;
export type Phase = (typeof PHASES)[number];
export type Way = (typeof WAYS)[number];

export interface Trial {
  scenario: string;
  phase: Phase;
  way: Way;
}

export interface TrialResult extends Trial {
  /** The phase the run had announced when the signal was sent (it may have moved on). */
  phaseAtSignal: string | null;
  /** The kubedrill process's exit status; under npx, the launcher's (kubedrill's own is not observable). */
  exitCode: number | null;
  /** report.json's status, or null when no report was written (SIGKILL). */
  reportStatus: string | null;
  /** junit.xml's errors + failures counts. */
  junit: { tests: number; failures: number; errors: number } | null;
  /** Exit status, report and junit tell the same story (see README, "Exit status"). */
  agrees: boolean;
  /** What was left once the run (and `kubedrill cleanup`) had finished and the cluster settled. */
  leftovers: string[];
  /** From the signal to nothing left (ms), or null if something stayed. */
  cleanMs: number | null;
  note?: string;
}

/** Every scenario × phase × way, narrowed by comma-separated lists (empty: all). */
export function plan(
  scenarios: readonly string[],
  only: { scenarios?: string; phases?: string; ways?: string } = {},
): Trial[] {
  const pick = <T extends string>(all: readonly T[], list: string | undefined): T[] => {
    if (!list) return [...all];
    const wanted = list.split(",").map((s) => s.trim());
    const unknown = wanted.filter((w) => !all.includes(w as T));
    if (unknown.length) throw new Error(`unknown: ${unknown.join(", ")} (known: ${all.join(", ")})`);
    return all.filter((x) => wanted.includes(x));
  };
  const trials: Trial[] = [];
  for (const scenario of pick(scenarios, only.scenarios))
    for (const phase of pick(PHASES, only.phases))
      for (const way of pick(WAYS, only.ways)) trials.push({ scenario, phase, way });
  return trials;
}

/** Whether the exit status, the report's status and junit agree for one trial. */
export function agrees(way: Way, exitCode: number | null, status: string | null, junit: TrialResult["junit"]): boolean {
  if (way === "SIGKILL+cleanup") return status === null; // killed: no report is written, and none claims anything
  if (status === null || junit === null) return false;
  const junitOk =
    status === "passed"
      ? junit.errors + junit.failures === 0
      : status === "failed"
        ? junit.failures > 0
        : junit.errors > 0;
  // Under npx the launcher dies at once with its own status; kubedrill's is not observable.
  return junitOk && (way === "npx-SIGTERM" || exitCode === exitCodeForRun(status as ScenarioStatus));
}

export interface Summary {
  trials: number;
  agreeing: number;
  withLeftovers: number;
  byWay: Record<string, { trials: number; statuses: Record<string, number>; medianCleanMs: number | null }>;
}

export function summarise(results: readonly TrialResult[]): Summary {
  const byWay: Summary["byWay"] = {};
  for (const way of new Set(results.map((r) => r.way))) {
    const mine = results.filter((r) => r.way === way);
    const statuses: Record<string, number> = {};
    for (const r of mine) statuses[r.reportStatus ?? "none"] = (statuses[r.reportStatus ?? "none"] ?? 0) + 1;
    const clean = mine
      .map((r) => r.cleanMs)
      .filter((x): x is number => x !== null)
      .sort((a, b) => a - b);
    byWay[way] = {
      trials: mine.length,
      statuses,
      medianCleanMs: clean.length ? clean[Math.floor(clean.length / 2)]! : null,
    };
  }
  return {
    trials: results.length,
    agreeing: results.filter((r) => r.agrees).length,
    withLeftovers: results.filter((r) => r.leftovers.length > 0).length,
    byWay,
  };
}
