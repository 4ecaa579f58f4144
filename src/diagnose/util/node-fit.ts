import type { KObject } from "../../k8s/types.ts";
import { isSchedulableFor } from "./nodes.ts";
import { termMatches, type NodeSelectorTerm } from "./selectors.ts";

/** Which nodes a pod may use, as the scheduler's filters see it (selector, affinity, taints). */
export function requiredTerms(pod: KObject): NodeSelectorTerm[] | undefined {
  return pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as
    NodeSelectorTerm[] | undefined;
}

/** spec.nodeSelector and required node affinity (terms are ORed) both match the node's labels. */
export function matchesNodeConstraints(pod: KObject, node: KObject): boolean {
  const sel = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  if (!Object.entries(sel).every(([k, v]) => (node.metadata.labels ?? {})[k] === v)) return false;
  const terms = requiredTerms(pod);
  return terms === undefined || terms.some((t) => termMatches(t, node));
}

/** Ready, not cordoned, no taint the pod does not tolerate, and its selector and affinity match. */
export function nodeUsableBy(pod: KObject, node: KObject): boolean {
  return isSchedulableFor(node, pod) && matchesNodeConstraints(pod, node);
}
