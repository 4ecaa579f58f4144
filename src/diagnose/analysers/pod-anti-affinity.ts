import type { KObject } from "../../k8s/types.ts";
import type { ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { nodeUsableBy } from "../util/node-fit.ts";
import { isActivePod, isUnscheduledPending, labelsOf, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";
import { schedulingState } from "../util/pods.ts";
import { matchesLabelSelector, type LabelSelector } from "../util/selectors.ts";

/**
 * Part of AffinityUnsatisfiable: a Pending pod whose required pod anti-affinity no node
 * can satisfy ("didn't match pod anti-affinity rules"): every topology domain (value of
 * the term's topologyKey) among the nodes it may use already runs a pod the term selects.
 */
interface Term {
  labelSelector?: LabelSelector;
  topologyKey?: string;
  namespaces?: string[];
}

const ANTI = /anti-affinity/;

function termsOf(pod: KObject): Term[] {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Term[];
}

export function antiAffinityFindings(snapshot: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  for (const pod of snapshot.pods) {
    if (!isUnscheduledPending(pod) || termsOf(pod).length === 0) continue;
    const state = schedulingState(snapshot, pod);
    if (!state.messages.some((m) => m.reasons.some((r) => ANTI.test(r.reason)))) continue;
    const usable = snapshot.nodes.filter((n) => nodeUsableBy(pod, n));
    const parts: string[] = [];
    for (const t of termsOf(pod)) {
      const key = t.topologyKey ?? "kubernetes.io/hostname";
      const namespaces = t.namespaces?.length ? t.namespaces : [pod.metadata.namespace];
      const rivals = snapshot.pods.filter(
        (p) =>
          p !== pod &&
          p.spec?.nodeName &&
          isActivePod(p) &&
          namespaces.includes(p.metadata.namespace) &&
          matchesLabelSelector(t.labelSelector, labelsOf(p)),
      );
      const domainOf = (nodeName: string) => snapshot.nodes.find((n) => nameOf(n) === nodeName)?.metadata.labels?.[key];
      const taken = uniq(rivals.map((p) => domainOf(String(p.spec.nodeName)) ?? ""));
      const domains = uniq(usable.map((n) => n.metadata.labels?.[key] ?? ""));
      const free = domains.filter((d) => !taken.includes(d));
      if (free.length > 0 && usable.length > 0) continue;
      parts.push(
        `no two pods matching ${JSON.stringify(t.labelSelector ?? {})} may share ${key}, and ${domains.length === 0 ? "no node it may use has that label" : `all ${domains.length} ${key} value(s) of the nodes it may use (${domains.join(", ")}) already run one (${rivals.slice(0, 5).map(nameOf).join(", ")})`}`,
      );
    }
    if (parts.length === 0) continue;
    findings.push({
      code: "AffinityUnsatisfiable",
      severity: "critical",
      object: objectOf(pod),
      message: `pod ${qualifiedName(pod)} cannot be scheduled because of its required pod anti-affinity: ${parts.join("; ")}`,
      evidence: state.evidence,
      remedy: REMEDIES.PodAntiAffinity,
    });
  }
  return findings;
}
