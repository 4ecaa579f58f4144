import type { ScenarioStatus } from "./types.ts";

/** Statuses from best to worst, skipped (nothing ran, nothing wrong) last: the order reports list them in. */
export const STATUS_ORDER: readonly ScenarioStatus[] = ["passed", "failed", "error", "aborted", "skipped"];

/** What outweighs what: an attempt that ran says more than one skipped, and aborted is the worst. */
const SEVERITY: readonly ScenarioStatus[] = ["skipped", "passed", "failed", "error", "aborted"];

/**
 * The worst of some statuses (aborted > error > failed > passed > skipped): "skipped" only
 * when every one is; "passed" when there are none.
 */
export function worst(statuses: readonly ScenarioStatus[]): ScenarioStatus {
  if (statuses.length === 0) return "passed";
  return statuses.reduce<ScenarioStatus>((w, s) => (SEVERITY.indexOf(s) > SEVERITY.indexOf(w) ? s : w), "skipped");
}

/** Counts of attempts per status, every status present (zero when none). */
export function statusCounts(runs: readonly { status: ScenarioStatus }[]): Record<ScenarioStatus, number> {
  const counts: Record<ScenarioStatus, number> = { passed: 0, failed: 0, error: 0, aborted: 0, skipped: 0 };
  for (const r of runs) counts[r.status] += 1;
  return counts;
}
