import { AbortedError, KubedrillError, UsageError } from "../errors.ts";
import type { ScenarioStatus } from "../report/types.ts";

/**
 * The one place that maps outcomes to exit statuses: 0 all passed, 1 any failed (or an
 * unexpected error), 2 usage or validation error, 130 interrupted (SIGINT/SIGTERM).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A thrown error: AbortedError -> 130, UsageError (ValidationError, SafetyError) -> 2, other -> 1. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof AbortedError) return EXIT.interrupted;
  if (err instanceof UsageError) return EXIT.usage;
  return EXIT.failed;
}

/**
 * A command stopped through its signal: 130 for an interrupt (SIGINT, SIGTERM, the
 * launcher gone), 1 when main.ts stopped it because of an internal error.
 */
export function exitCodeForStop(reason: unknown): number {
  return reason instanceof KubedrillError && !(reason instanceof AbortedError) ? EXIT.failed : EXIT.interrupted;
}

/** A run's report status. */
export function exitCodeForRun(status: ScenarioStatus): number {
  return status === "passed" ? EXIT.ok : status === "aborted" ? EXIT.interrupted : EXIT.failed;
}

/** `validate`: any problem is a validation error. */
export function exitCodeForProblems(count: number): number {
  return count > 0 ? EXIT.usage : EXIT.ok;
}

/** A check that passed or did not (cluster status, diagnose findings). */
export function exitCodeForCheck(passed: boolean): number {
  return passed ? EXIT.ok : EXIT.failed;
}
