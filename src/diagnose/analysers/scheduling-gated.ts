import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { conditionOf, conditionText, isUnscheduledPending, objectOf, qualifiedName } from "../util/objects.ts";

/**
 * A Pending pod held by scheduling gates (spec.schedulingGates): the scheduler does not
 * even try until every gate is removed (PodScheduled=False SchedulingGated).
 */
export const schedulingGatedAnalyser: Analyser = {
  codes: ["SchedulingGated"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      if (!isUnscheduledPending(pod)) continue;
      const gates = ((pod.spec?.schedulingGates ?? []) as { name?: string }[]).map((g) => g.name ?? "?");
      if (gates.length === 0) continue;
      const cond = conditionOf(pod, "PodScheduled");
      findings.push({
        code: "SchedulingGated",
        severity: "warning",
        object: objectOf(pod),
        message: `pod ${qualifiedName(pod)} is not scheduled because scheduling is blocked by ${gates.length === 1 ? "the scheduling gate" : "scheduling gates"} ${gates.join(", ")}: the scheduler ignores it until they are removed`,
        evidence: [`spec.schedulingGates: ${gates.join(", ")}`, ...(cond ? [conditionText(cond)] : [])],
        remedy: REMEDIES.SchedulingGated,
      });
    }
    return findings;
  },
};
