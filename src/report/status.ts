import type { ScenarioStatus } from "./types.ts";

/** Statuses from best to worst. */
export const STATUS_ORDER: readonly ScenarioStatus[] = ["passed", "failed", "error", "aborted"];

/** The worst of some statuses (aborted > error > failed > passed); "passed" when there are none. */
export function worst(statuses: readonly ScenarioStatus[]): ScenarioStatus {
  return statuses.reduce<ScenarioStatus>(
    (w, s) => (STATUS_ORDER.indexOf(s) > STATUS_ORDER.indexOf(w) ? s : w),
    "passed",
  );
}

/** Counts of attempts per status, every status present (zero when none). */
export function statusCounts(runs: readonly { status: ScenarioStatus }[]): Record<ScenarioStatus, number> {
  const counts: Record<ScenarioStatus, number> = { passed: 0, failed: 0, error: 0, aborted: 0 };
  for (const r of runs) counts[r.status] += 1;
  return counts;
}
