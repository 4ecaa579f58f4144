import { AbortedError, ClusterError, GuardTrippedError, KubedrillError, UsageError } from "../errors.ts";
import type { RunReport, ScenarioStatus } from "../report/types.ts";

/**
 * The one place that maps outcomes to exit statuses, the contract CI relies on (README,
 * "Exit status"):
 *
 * | status | meaning |
 * |---|---|
 * | 0 | everything passed, or was skipped because the cluster lacks what it requires (`diagnose`: no finding at or above --fail-on) |
 * | 1 | a scenario missed its targets or failed its checks (`diagnose`: findings) |
 * | 2 | usage, validation or safety refusal: nothing was run |
 * | 3 | a scenario errored, or kubedrill itself failed |
 * | 4 | no cluster: no provider works here, the cluster could not be started, or its API server did not answer at the start |
 * | 5 | an abort guard (spec.abortWhen) stopped the run; everything was reverted |
 * | 130 | interrupted (SIGINT, SIGTERM, the launcher gone) |
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, error: 3, noCluster: 4, guard: 5, interrupted: 130 } as const;

/**
 * A thrown error: AbortedError -> 130, UsageError (ValidationError, SafetyError) -> 2,
 * ClusterError (no provider, cluster not started, API server unreachable) -> 4, other -> 3.
 */
export function exitCodeFor(err: unknown): number {
  if (err instanceof GuardTrippedError) return EXIT.guard;
  if (err instanceof AbortedError) return EXIT.interrupted;
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof ClusterError) return EXIT.noCluster;
  return EXIT.error;
}

/**
 * A command stopped through its signal: 130 for an interrupt (SIGINT, SIGTERM, the
 * launcher gone), 3 when main.ts stopped it because of an internal error.
 */
export function exitCodeForStop(reason: unknown): number {
  return reason instanceof KubedrillError && !(reason instanceof AbortedError) ? EXIT.error : EXIT.interrupted;
}

/**
 * A run's report status: passed 0, failed 1, error 3, aborted 130, skipped 0 (every attempt
 * skipped: the cluster lacks what the scenarios require, which is no failure; the run's log
 * and summaries say that nothing ran).
 */
export function exitCodeForRun(status: ScenarioStatus): number {
  const codes: Record<ScenarioStatus, number> = {
    passed: EXIT.ok,
    skipped: EXIT.ok,
    failed: EXIT.failed,
    error: EXIT.error,
    aborted: EXIT.interrupted,
  };
  return codes[status];
}

/**
 * The exit status of a written report: its status's (exitCodeForRun), except 4 for a run
 * that never got a cluster (`cluster.unavailable` says why; every attempt is "not run"),
 * and 5 for a run aborted only by abort guards (every aborted attempt has `abortedBy`; an
 * interrupt as well makes it 130).
 */
export function exitCodeForReport(
  report: Pick<RunReport, "status" | "cluster"> & { scenarios?: RunReport["scenarios"] },
): number {
  if (report.status === "error" && report.cluster.unavailable !== undefined) return EXIT.noCluster;
  const aborted = (report.scenarios ?? []).filter((r) => r.status === "aborted");
  if (report.status === "aborted" && aborted.length > 0 && aborted.every((r) => r.abortedBy !== undefined))
    return EXIT.guard;
  return exitCodeForRun(report.status);
}

/** `validate`: any problem is a validation error. */
export function exitCodeForProblems(count: number): number {
  return count > 0 ? EXIT.usage : EXIT.ok;
}

/** A check that passed or did not (cluster status, diagnose findings). */
export function exitCodeForCheck(passed: boolean): number {
  return passed ? EXIT.ok : EXIT.failed;
}
