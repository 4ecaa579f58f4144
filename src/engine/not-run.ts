import { AbortedError } from "../errors.ts";
import type { BuiltScenario } from "../pipeline/instantiate.ts";
import { runReport } from "../report/run-report.ts";
import { iso } from "../report/time.ts";
import { runTiming } from "../report/timing.ts";
import type { RunReport, ScenarioRun } from "../report/types.ts";
import type { Clock } from "../util/clock.ts";
import { errorRun } from "./attempt-report.ts";

export interface NotRunOptions {
  clock: Clock;
  runId: string;
  /** When the run began (before it asked for a cluster). */
  startedAt: number;
  /** The provider asked for (`--provider`), as no cluster said which one it was. */
  provider: string;
  clusterName: string;
  version?: string;
  repeat: number;
  parallel: number;
  remediate: boolean;
  /** When set, the run got no cluster for this reason (report.cluster.unavailable). */
  unavailable?: string;
}

/**
 * The report of a run that never reached its attempts (no cluster, or interrupted while
 * getting one): every attempt of every scenario is listed, "error" with `not run: <why>`
 * ("aborted" when `why` is an interrupt), so that junit.xml has a testcase for each and
 * CI sees why. Nothing was created, so every cleanup is ok.
 */
export function notRunReport(built: readonly BuiltScenario[], why: unknown, o: NotRunOptions): RunReport {
  const at = o.clock.now();
  const message = why instanceof Error ? why.message : String(why);
  const runs: ScenarioRun[] = built.flatMap(({ scenario }) =>
    Array.from({ length: o.repeat }, (_, i) => ({
      ...errorRun(scenario, { attempt: i + 1, error: why, startedAt: at, finishedAt: at, provider: o.provider }),
      reasons: [`not run: ${message}`],
      cleanup: { ok: true, leftovers: [] },
    })),
  );
  return runReport(
    {
      tool: { name: "kubedrill", version: o.version ?? "0.0.0" },
      runId: o.runId,
      provider: o.provider,
      cluster: {
        name: o.clusterName,
        ...(o.unavailable !== undefined && !(why instanceof AbortedError) ? { unavailable: o.unavailable } : {}),
      },
      startedAt: iso(Math.min(o.startedAt, at)),
      finishedAt: iso(at),
      options: { repeat: o.repeat, parallel: o.parallel, remediate: o.remediate, dryRun: false },
      scenarios: runs,
      // The attempt to get a cluster is all the time there was.
      timing: runTiming(runs, {
        wallStart: Math.min(o.startedAt, at),
        finishedAt: at,
        clusterStartMs: Math.max(0, at - o.startedAt),
        startupMs: 0,
      }),
    },
    {
      aborted: false,
      keys: built.map(({ scenario: s }) => ({
        name: s.metadata.name,
        file: s.file,
        targets: { ttdMs: s.spec.targets.detectWithinMs, rtoMs: s.spec.targets.recoverWithinMs },
      })),
    },
  );
}
