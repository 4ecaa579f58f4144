import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { isUnscheduledPending, nameOf, objectOf, qualifiedName } from "../util/objects.ts";
import { nodeUsableBy } from "../util/node-fit.ts";
import { schedulingState } from "../util/pods.ts";
import { formatFor } from "../util/quantity.ts";
import { freeOnNode, podRequests, type ResourceMap } from "../util/resources.ts";
import { insufficientResources, summariseReasons } from "../util/scheduler-message.ts";

/**
 * Pending pods the scheduler reports "Insufficient <resource>" for. Says how much the pod
 * asks for, the most free (allocatable minus the requests of the pods bound to it) on a
 * node the pod may use (Ready, not cordoned, its nodeSelector and required node affinity
 * match, no taint it does not tolerate) and the shortfall.
 */
export const insufficientResourcesAnalyser: Analyser = {
  codes: ["InsufficientResources"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    const free = new Map<string, ResourceMap>();
    const freeOf = (n: KObject): ResourceMap => {
      let f = free.get(nameOf(n));
      if (!f) free.set(nameOf(n), (f = freeOnNode(n, snapshot.pods)));
      return f;
    };
    for (const pod of snapshot.pods) {
      if (!isUnscheduledPending(pod)) continue;
      const state = schedulingState(snapshot, pod);
      const latest = state.messages.find((m) => insufficientResources(m).length > 0);
      if (!latest) continue;
      const short = insufficientResources(latest);
      const parts = short.map(({ resource }) => describeShortfall(snapshot, pod, resource, freeOf));
      findings.push({
        code: "InsufficientResources",
        severity: "critical",
        object: objectOf(pod),
        message: `pod ${qualifiedName(pod)} cannot be scheduled: ${parts.join("; ")} (scheduler: ${latest.available}/${latest.total} nodes available: ${summariseReasons(latest)})`,
        evidence: state.evidence,
        remedy: REMEDIES.InsufficientResources,
      });
    }
    return findings;
  },
};

function describeShortfall(
  snapshot: ClusterSnapshot,
  pod: KObject,
  resource: string,
  freeOf: (n: KObject) => ResourceMap,
): string {
  const requests = podRequests(pod);
  const wanted = resource === "pods" ? 1_000_000_000n : requests.get(resource);
  const nodes = snapshot.nodes.filter((n) => nodeUsableBy(pod, n));
  let best: { node: string; free: bigint } | undefined;
  for (const n of nodes) {
    const free = freeOf(n).get(resource);
    if (free !== undefined && (!best || free > best.free)) best = { node: nameOf(n), free };
  }
  const label = resource === "pods" ? "pod slots" : resource;
  const asks = wanted === undefined ? `insufficient ${label}` : `requests ${label} ${formatFor(resource, wanted)}`;
  if (!best)
    return `${asks}, and no node the pod may use (Ready, schedulable, matching its selector and affinity, taints tolerated) reports allocatable ${label}`;
  const free = best.free < 0n ? 0n : best.free;
  const most = `the most free on a node the pod may use is ${formatFor(resource, free)} (${best.node})`;
  if (wanted === undefined) return `${asks}; ${most}`;
  return wanted > free ? `${asks}, ${most}: short by ${formatFor(resource, wanted - free)}` : `${asks}, ${most}`;
}
