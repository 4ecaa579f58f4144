import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { objectOf, qualifiedName } from "../util/objects.ts";

/**
 * Pods kubelet evicted (phase Failed, reason Evicted), grouped by owner and cause: a
 * container over its ephemeral-storage limit, an emptyDir over its sizeLimit, or the node
 * low on a resource. The evicted pods stay behind until someone deletes them.
 */
type Cause = keyof typeof REMEDIES.PodEvicted;

export function evictionCause(message: string): { cause: Cause; text: string } {
  let m = /Usage of EmptyDir volume "([^"]+)" exceeds the limit "([^"]+)"/.exec(message);
  if (m) return { cause: "emptyDir", text: `emptyDir volume ${m[1]} grew beyond its sizeLimit ${m[2]}` };
  if (/ephemeral local storage usage exceeds|ephemeral-storage.*exceeds/i.test(message))
    return { cause: "ephemeral", text: "a container wrote more local (ephemeral) storage than its limit" };
  // refused at admission: the kubelet takes no new pod while the node is under pressure
  m = /rejected: The node had condition: \[([^\]]+)\]/.exec(message);
  if (m) return { cause: "pressure", text: `the kubelet refused to start it: the node has ${m[1]}` };
  m = /low on resource: ([\w-]+(?:\.[\w-]+)*)/.exec(message);
  if (m) return { cause: "pressure", text: `the node was low on ${m[1]}` };
  return { cause: "pressure", text: "kubelet evicted it" };
}

function ownerOf(p: KObject): string {
  const o = p.metadata.ownerReferences?.find((r) => r.controller) ?? p.metadata.ownerReferences?.[0];
  return o ? `${o.kind} ${o.name}` : "";
}

export const podEvictedAnalyser: Analyser = {
  codes: ["PodEvicted"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const groups = new Map<string, { pods: KObject[]; cause: Cause; text: string }>();
    for (const pod of snapshot.pods) {
      if (pod.status?.phase !== "Failed" || pod.status?.reason !== "Evicted") continue;
      const c = evictionCause(String(pod.status?.message ?? ""));
      const owner = ownerOf(pod);
      const key = `${pod.metadata.namespace ?? ""}\u0000${owner || qualifiedName(pod)}\u0000${c.text}`;
      const g = groups.get(key) ?? { pods: [], ...c };
      g.pods.push(pod);
      groups.set(key, g);
    }
    return [...groups.values()].map(({ pods, cause, text }) => {
      const first = pods[0]!;
      const owner = ownerOf(first);
      const more = pods.length > 1 ? ` and ${pods.length - 1} more pod(s)${owner ? ` of ${owner}` : ""}` : "";
      return {
        code: "PodEvicted",
        severity: "warning",
        object: objectOf(first),
        message: `pod ${qualifiedName(first)}${more} evicted: ${text}${first.spec?.nodeName ? ` (node ${String(first.spec.nodeName)})` : ""}`,
        evidence: pods.slice(0, 5).map((p) => `pod ${qualifiedName(p)} Evicted: ${String(p.status?.message ?? "")}`),
        remedy: REMEDIES.PodEvicted[cause],
      } satisfies Finding;
    });
  },
};
