import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { isActivePod, labelsOf, nameOf, objectOf, qualifiedName } from "../util/objects.ts";
import { matchesLabelSelector, type LabelSelector } from "../util/selectors.ts";

/**
 * Pods that Egress NetworkPolicies (taken together: they are additive) cut off:
 * - no egress rule at all: every connection is dropped, DNS included (critical);
 * - egress rules, none of which can reach DNS (port 53 outside the namespace): names no
 *   longer resolve, so even allowed destinations are unreachable by name (warning).
 * One finding per namespace and set of policies.
 */
interface EgressRule {
  to?: { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: unknown }[];
  ports?: { port?: number | string; endPort?: number }[];
}

function governsEgress(p: KObject): boolean {
  const types = p.spec?.policyTypes as string[] | undefined;
  return types ? types.includes("Egress") : Array.isArray(p.spec?.egress);
}

function allowsDns(rule: EgressRule, namespace: string | undefined): boolean {
  const port =
    !rule.ports?.length ||
    rule.ports.some(
      (p) =>
        p.port === undefined ||
        p.port === 53 ||
        (typeof p.port === "string" && /dns/i.test(p.port)) ||
        (typeof p.port === "number" && p.endPort !== undefined && p.port <= 53 && p.endPort >= 53),
    );
  const peer =
    !rule.to?.length ||
    namespace === "kube-system" ||
    rule.to.some((t) => t.namespaceSelector !== undefined || t.ipBlock !== undefined);
  return port && peer;
}

export const networkPolicyEgressAnalyser: Analyser = {
  codes: ["NetworkPolicyEgressDenied"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const groups = new Map<string, { policies: KObject[]; pods: KObject[]; all: boolean }>();
    const egress = snapshot.networkPolicies.filter(governsEgress);
    if (egress.length === 0) return [];
    for (const pod of snapshot.pods) {
      if (!isActivePod(pod) || !pod.spec?.nodeName || pod.spec?.hostNetwork) continue;
      const ns = pod.metadata.namespace;
      const policies = egress.filter(
        (p) =>
          p.metadata.namespace === ns &&
          matchesLabelSelector((p.spec?.podSelector ?? {}) as LabelSelector, labelsOf(pod)),
      );
      if (policies.length === 0) continue;
      const rules = policies.flatMap((p) => (p.spec?.egress ?? []) as EgressRule[]);
      if (rules.some((r) => allowsDns(r, ns))) continue;
      const key = `${ns ?? ""}\u0000${policies.map(nameOf).sort().join(",")}`;
      const g = groups.get(key) ?? { policies, pods: [], all: rules.length === 0 };
      g.pods.push(pod);
      groups.set(key, g);
    }
    return [...groups.values()].map(({ policies, pods, all }) => {
      const names = policies.map(nameOf).sort();
      const subject = `NetworkPolic${names.length === 1 ? "y" : "ies"} ${names.join(", ")}`;
      const podText = `${pods.length} pod(s) (${pods.slice(0, 5).map(nameOf).join(", ")}${pods.length > 5 ? ", ..." : ""})`;
      return {
        code: "NetworkPolicyEgressDenied",
        severity: all ? "critical" : "warning",
        object: objectOf(policies.find((p) => !(p.spec?.egress ?? []).length) ?? policies[0]!),
        message: all
          ? `${subject} in ${pods[0]!.metadata.namespace ?? ""} ${names.length === 1 ? "denies" : "deny"} all egress from ${podText}, DNS included: they cannot reach anything`
          : `${subject} in ${pods[0]!.metadata.namespace ?? ""} allow${names.length === 1 ? "s" : ""} no egress to DNS (port 53) for ${podText}: names do not resolve`,
        evidence: policies.map(
          (p) =>
            `NetworkPolicy ${qualifiedName(p)}: podSelector=${JSON.stringify(p.spec?.podSelector ?? {})} policyTypes=${JSON.stringify(p.spec?.policyTypes ?? [])} egress=${JSON.stringify(p.spec?.egress ?? [])}`,
        ),
        remedy: REMEDIES.NetworkPolicyEgressDenied[all ? "all" : "dns"],
      } satisfies Finding;
    });
  },
};
