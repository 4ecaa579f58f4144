import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { isNodeReady, taintsOf, taintText, TAINT_NOT_READY, TAINT_UNREACHABLE } from "../util/nodes.ts";
import { conditionOf, conditionText, nameOf, objectOf, qualifiedName } from "../util/objects.ts";

/** The taint that tells Kubernetes a node is gone for good (non-graceful node shutdown). */
export const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

const claimsOf = (pod: KObject): string[] =>
  ((pod.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[])
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((c): c is string => !!c);

/**
 * Pods being deleted on a node that is not Ready, which nothing will finish: the kubelet
 * that would confirm the deletion is gone. A Deployment replaces such a pod at once, so it
 * is reported only when the pod's identity or storage keeps the workload down: a
 * StatefulSet creates no replacement for that ordinal, and a ReadWriteOnce claim stays
 * attached to the dead node, until the pod object is really gone. The node's
 * out-of-service taint (or a forced deletion) is what releases them.
 */
export const podOnLostNodeAnalyser: Analyser = {
  codes: ["PodStuckOnLostNode"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      if (!pod.metadata.deletionTimestamp || !pod.spec?.nodeName) continue;
      const node = snapshot.nodes.find((n) => nameOf(n) === pod.spec!.nodeName);
      if (!node || isNodeReady(node)) continue;
      if (taintsOf(node).some((t) => t.key === TAINT_OUT_OF_SERVICE)) continue; // the pod GC will force-delete it
      const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
      const claims = claimsOf(pod);
      if (owner?.kind !== "StatefulSet" && claims.length === 0) continue;
      const ready = conditionOf(node, "Ready");
      const taints = taintsOf(node).filter((t) => t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY);
      const holds =
        owner?.kind === "StatefulSet"
          ? `StatefulSet ${owner.name} creates no replacement for it`
          : `its claim${claims.length > 1 ? "s" : ""} ${claims.join(", ")} stay${claims.length > 1 ? "" : "s"} attached to that node`;
      findings.push({
        code: "PodStuckOnLostNode",
        severity: "critical",
        object: objectOf(pod),
        message: `pod ${qualifiedName(pod)} has been terminating since ${pod.metadata.deletionTimestamp} on node ${nameOf(node)}, which is not Ready: no kubelet will confirm the deletion, so ${holds}`,
        evidence: [
          `pod ${qualifiedName(pod)} deletionTimestamp ${pod.metadata.deletionTimestamp} node ${nameOf(node)}`,
          ...(ready ? [`node ${nameOf(node)} ${conditionText(ready)}`] : []),
          ...taints.map((t) => `node ${nameOf(node)} taint ${taintText(t)}`),
        ],
        remedy: REMEDIES.PodStuckOnLostNode,
      });
    }
    return findings;
  },
};
