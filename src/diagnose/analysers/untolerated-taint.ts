import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { blockingTaints, isNodeReady, taintText } from "../util/nodes.ts";
import { matchesNodeConstraints, nodeUsableBy } from "../util/node-fit.ts";
import { isUnscheduledPending, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";
import { schedulingState } from "../util/pods.ts";
import { untoleratedTaints } from "../util/scheduler-message.ts";

/**
 * A Pending pod the scheduler keeps off every node it could otherwise use because those
 * nodes carry a taint the pod does not tolerate ("had untolerated taint {dedicated: gpu}").
 * Taints the node lifecycle puts on (node.kubernetes.io/*: not-ready, unreachable,
 * pressure, unschedulable) belong to NodeNotReady and the pressure findings.
 */
const LIFECYCLE = "node.kubernetes.io/";

export const untoleratedTaintAnalyser: Analyser = {
  codes: ["UntoleratedTaint"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      if (!isUnscheduledPending(pod)) continue;
      const state = schedulingState(snapshot, pod);
      const named = state.messages.flatMap(untoleratedTaints);
      if (named.length === 0) continue;
      if (snapshot.nodes.some((n) => nodeUsableBy(pod, n))) continue;
      const blocked = blockedNodes(snapshot, pod);
      const fromMessage = uniq(
        named
          .filter((t) => t.key && !t.key.startsWith(LIFECYCLE))
          .map((t) => `${t.key}${t.value ? `=${t.value}` : ""}`),
      );
      if (blocked.length === 0 && fromMessage.length === 0) continue;
      const taints =
        blocked.length > 0
          ? uniq(blocked.flatMap((b) => b.taints)).map(
              (t) =>
                `${t} (${blocked
                  .filter((b) => b.taints.includes(t))
                  .map((b) => b.node)
                  .join(", ")})`,
            )
          : fromMessage;
      findings.push({
        code: "UntoleratedTaint",
        severity: "critical",
        object: objectOf(pod),
        message: `pod ${qualifiedName(pod)} cannot be scheduled: the nodes it could use carry ${taints.length === 1 ? "a taint" : "taints"} it does not tolerate: ${taints.join("; ")}`,
        evidence: uniq([
          ...state.evidence,
          `pod tolerations: ${JSON.stringify((pod.spec?.tolerations ?? []).map((t: { key?: string; effect?: string }) => `${t.key ?? "*"}:${t.effect ?? "*"}`))}`,
        ]),
        remedy: REMEDIES.UntoleratedTaint,
      });
    }
    return findings;
  },
};

/** Ready, uncordoned nodes matching the pod's selector and affinity, with the custom taints that keep it out. */
function blockedNodes(snapshot: ClusterSnapshot, pod: KObject): { node: string; taints: string[] }[] {
  return snapshot.nodes
    .filter((n) => isNodeReady(n) && n.spec?.unschedulable !== true && matchesNodeConstraints(pod, n))
    .map((n) => ({
      node: nameOf(n),
      taints: blockingTaints(n, pod)
        .filter((t) => !t.key.startsWith(LIFECYCLE))
        .map(taintText),
    }))
    .filter((b) => b.taints.length > 0);
}
