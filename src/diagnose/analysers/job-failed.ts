import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import {
  conditionOf,
  conditionText,
  eventsFor,
  eventText,
  nameOf,
  objectOf,
  qualifiedName,
  uniq,
} from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";
import { explainExit } from "./crash-loop.ts";

/**
 * A Job with condition Failed=True: BackoffLimitExceeded (its pods failed more times than
 * spec.backoffLimit), DeadlineExceeded (it ran longer than activeDeadlineSeconds), or
 * another reason (PodFailurePolicy, MaxFailedIndexesExceeded). Names the last failure
 * of its pods when they are still there.
 */
type Cause = keyof typeof REMEDIES.JobFailed;

export const jobFailedAnalyser: Analyser = {
  codes: ["JobFailed"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const job of snapshot.jobs) {
      const failed = conditionOf(job, "Failed");
      if (failed?.status !== "True") continue;
      const cause: Cause =
        failed.reason === "BackoffLimitExceeded"
          ? "backoff"
          : failed.reason === "DeadlineExceeded"
            ? "deadline"
            : "other";
      const pods = snapshot.pods.filter(
        (p) =>
          p.metadata.namespace === job.metadata.namespace &&
          p.metadata.ownerReferences?.some((o) => o.kind === "Job" && o.name === nameOf(job)),
      );
      const exits = pods.flatMap((p) =>
        containerStatuses(p)
          .filter((c) => (c.state?.terminated?.exitCode ?? 0) !== 0)
          .map((c) => ({ pod: nameOf(p), name: c.name, t: c.state!.terminated! })),
      );
      const last = exits[0];
      const why =
        cause === "backoff"
          ? `its pods failed more often than backoffLimit ${String(job.spec?.backoffLimit ?? 6)} allows`
          : cause === "deadline"
            ? `it ran longer than activeDeadlineSeconds ${String(job.spec?.activeDeadlineSeconds ?? "?")}`
            : `reason ${failed.reason ?? "unknown"}`;
      findings.push({
        code: "JobFailed",
        severity: "warning",
        object: objectOf(job),
        message: `Job ${qualifiedName(job)} failed (${failed.reason ?? "Failed"}): ${why}${last ? `; last failure: pod ${last.pod} container ${last.name} ${explainExit(last.t.exitCode, last.t.reason).text}` : ""}`,
        evidence: uniq([
          conditionText(failed),
          `status: failed=${String(job.status?.failed ?? 0)} succeeded=${String(job.status?.succeeded ?? 0)}`,
          ...exits
            .slice(0, 3)
            .map(
              (e) => `pod ${e.pod} ${e.name}: terminated exitCode=${e.t.exitCode ?? "?"} reason=${e.t.reason ?? "?"}`,
            ),
          ...eventsFor(snapshot, { kind: "Job", name: nameOf(job), namespace: job.metadata.namespace }, [
            "BackoffLimitExceeded",
            "DeadlineExceeded",
          ]).map(eventText),
        ]),
        remedy: REMEDIES.JobFailed[cause],
      });
    }
    return findings;
  },
};
