import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { objectOf, qualifiedName, readable } from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";
import { explainExit } from "./crash-loop.ts";

/**
 * A pod that ended Failed because a container exited non-zero (restartPolicy Never or
 * OnFailure). Pods of Jobs are left to JobFailed when Jobs are readable (a running Job
 * retries, a complete one recovered); evicted pods to PodEvicted.
 */
export const containerFailedAnalyser: Analyser = {
  codes: ["ContainerFailed"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      if (pod.status?.phase !== "Failed" || pod.status?.reason === "Evicted") continue;
      const ownedByJob = pod.metadata.ownerReferences?.some((o) => o.kind === "Job");
      if (ownedByJob && readable(snapshot, "jobs")) continue;
      const failed = containerStatuses(pod).filter((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
      for (const c of failed) {
        const t = c.state!.terminated!;
        findings.push({
          code: "ContainerFailed",
          severity: "warning",
          object: objectOf(pod),
          message: `pod ${qualifiedName(pod)} failed: container ${c.name} ${explainExit(t.exitCode, t.reason).text}`,
          evidence: [
            `${c.name}: terminated exitCode=${t.exitCode ?? "?"} reason=${t.reason ?? "?"}${t.message ? ` message=${t.message}` : ""}`,
            `restartPolicy=${String(pod.spec?.restartPolicy ?? "Always")}`,
          ],
          remedy: REMEDIES.ContainerFailed,
        });
      }
    }
    return findings;
  },
};
