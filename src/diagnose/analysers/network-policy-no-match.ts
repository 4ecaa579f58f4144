import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { labelsOf, objectOf, qualifiedName } from "../util/objects.ts";
import { matchesLabelSelector, type LabelSelector } from "../util/selectors.ts";

/**
 * NetworkPolicies whose selectors match nothing, usually a label typo:
 * - a non-empty spec.podSelector that no pod of the namespace carries (the policy protects
 *   nothing; the pods it was meant for are unprotected);
 * - a peer namespaceSelector (ingress from / egress to) that no namespace carries (judged
 *   only when Namespaces could be read).
 */
interface Peer {
  namespaceSelector?: LabelSelector;
}

function isEmpty(sel: LabelSelector | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

function peersOf(p: KObject): { where: string; peer: Peer }[] {
  const ingress = ((p.spec?.ingress ?? []) as { from?: Peer[] }[]).flatMap((r, i) =>
    (r.from ?? []).map((peer) => ({ where: `ingress[${i}].from`, peer })),
  );
  const egress = ((p.spec?.egress ?? []) as { to?: Peer[] }[]).flatMap((r, i) =>
    (r.to ?? []).map((peer) => ({ where: `egress[${i}].to`, peer })),
  );
  return [...ingress, ...egress];
}

export const networkPolicyNoMatchAnalyser: Analyser = {
  codes: ["NetworkPolicyNoMatch"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    const nsLabels = snapshot.namespaces.map(labelsOf);
    for (const p of snapshot.networkPolicies) {
      const sel = p.spec?.podSelector as LabelSelector | undefined;
      const ns = p.metadata.namespace;
      const pods = snapshot.pods.filter((x) => x.metadata.namespace === ns);
      if (!isEmpty(sel) && !pods.some((x) => matchesLabelSelector(sel, labelsOf(x)))) {
        findings.push({
          code: "NetworkPolicyNoMatch",
          severity: "warning",
          object: objectOf(p),
          message: `NetworkPolicy ${qualifiedName(p)} selects no pods: no pod in ${ns ?? "its namespace"} matches podSelector ${JSON.stringify(sel)}, so it protects nothing`,
          evidence: [
            `NetworkPolicy ${qualifiedName(p)} podSelector=${JSON.stringify(sel)}`,
            `${pods.length} pod(s) in ${ns ?? ""}`,
          ],
          remedy: REMEDIES.NetworkPolicyNoMatch.pods,
        });
      }
      if (nsLabels.length === 0) continue;
      for (const { where, peer } of peersOf(p)) {
        if (!peer.namespaceSelector || isEmpty(peer.namespaceSelector)) continue;
        if (nsLabels.some((l) => matchesLabelSelector(peer.namespaceSelector, l))) continue;
        findings.push({
          code: "NetworkPolicyNoMatch",
          severity: "warning",
          object: objectOf(p),
          message: `NetworkPolicy ${qualifiedName(p)} ${where} namespaceSelector ${JSON.stringify(peer.namespaceSelector)} matches no namespace, so that peer admits nothing`,
          evidence: [
            `NetworkPolicy ${qualifiedName(p)} ${where}: ${JSON.stringify(peer)}`,
            `${nsLabels.length} namespace(s), none with those labels`,
          ],
          remedy: REMEDIES.NetworkPolicyNoMatch.namespaces,
        });
      }
    }
    return findings;
  },
};
