import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding, Severity } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { labelsOf, nameOf, objectOf, qualifiedName } from "../util/objects.ts";
import { matchesLabelSelector, matchesMap, type LabelSelector } from "../util/selectors.ts";
import { crossNamespaceReferences } from "./service-references.ts";

/**
 * NetworkPolicies (policyTypes Ingress) that select a Service's backend pods and, taken
 * together (policies are additive), admit:
 * - no traffic at all to the Service's target ports -> critical ("denies all ingress"), also
 *   when the only peers match nothing (a podSelector no pod of the namespace carries, a
 *   namespaceSelector no namespace carries): the pods are as isolated as under deny-all;
 * - only pods of the same namespace (every peer is a bare podSelector) -> warning when
 *   something outside the namespace uses the Service (an Ingress, whose controller runs in
 *   another namespace; pods or ExternalName Services elsewhere naming <svc>.<ns>), else info.
 * Peers with a namespaceSelector or ipBlock, or rules with no peers, admit other namespaces
 * (which ones cannot be judged without Namespace objects), so nothing is reported then.
 */
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}
interface Rule {
  from?: Peer[];
  ports?: { port?: number | string; endPort?: number; protocol?: string }[];
}

function governsIngress(p: KObject): boolean {
  const types = p.spec?.policyTypes as string[] | undefined;
  return types === undefined || types.length === 0 || types.includes("Ingress");
}

function targetPorts(svc: KObject): (number | string)[] {
  return ((svc.spec?.ports ?? []) as { port?: number; targetPort?: number | string }[]).map(
    (p) => p.targetPort ?? p.port ?? 0,
  );
}

function ruleReaches(rule: Rule, targets: (number | string)[]): boolean {
  if (!rule.ports || rule.ports.length === 0 || targets.length === 0) return true;
  return rule.ports.some((rp) =>
    targets.some((t) => {
      if (rp.port === undefined) return true;
      if (typeof rp.port === "string" || typeof t === "string") return true; // named ports: cannot rule out
      return rp.endPort !== undefined ? t >= rp.port && t <= rp.endPort : t === rp.port;
    }),
  );
}

type Reach = "none" | "same-namespace" | "wider";

interface PeerContext {
  /** Label sets of the pods in the policy's namespace. */
  podLabels: Record<string, string>[];
  /** Label sets of every namespace; empty when Namespaces could not be read. */
  namespaceLabels: Record<string, string>[];
}

/** Peers that match nothing, as "podSelector {...} (no pod in ns matches)". */
export function deadPeer(peer: Peer, ctx: PeerContext): string | undefined {
  if (peer.ipBlock) return undefined;
  if (peer.namespaceSelector) {
    if (ctx.namespaceLabels.length === 0) return undefined;
    if (ctx.namespaceLabels.some((l) => matchesLabelSelector(peer.namespaceSelector, l))) return undefined;
    return `namespaceSelector ${JSON.stringify(peer.namespaceSelector)} (no namespace matches)`;
  }
  if (!peer.podSelector) return undefined;
  if (ctx.podLabels.some((l) => matchesLabelSelector(peer.podSelector, l))) return undefined;
  return `podSelector ${JSON.stringify(peer.podSelector)} (no pod of the namespace matches)`;
}

/**
 * A namespaceSelector that matches no namespace today still says the author admits other
 * namespaces (the ingress controller's may simply not exist on this cluster yet): it makes
 * the policy "wider" when other peers admit something, and counts as matching nothing only
 * when every peer does.
 */
function reach(rules: Rule[], ctx: PeerContext, dead: string[]): Reach {
  let out: Reach = "none";
  let namespacesMeant = false;
  for (const r of rules) {
    if (!r.from || r.from.length === 0) return "wider";
    for (const peer of r.from) {
      const d = deadPeer(peer, ctx);
      if (d) {
        dead.push(d);
        namespacesMeant ||= peer.namespaceSelector !== undefined;
        continue;
      }
      if (peer.namespaceSelector || peer.ipBlock || !peer.podSelector) return "wider";
      out = "same-namespace";
    }
  }
  return out === "same-namespace" && namespacesMeant ? "wider" : out;
}

export const networkPolicyIsolationAnalyser: Analyser = {
  codes: ["NetworkPolicyIsolation"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const svc of snapshot.services) {
      const selector = svc.spec?.selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0) continue;
      const ns = svc.metadata.namespace;
      const pods = snapshot.pods.filter((p) => p.metadata.namespace === ns && matchesMap(selector, labelsOf(p)));
      const labelSets = pods.length > 0 ? pods.map(labelsOf) : [selector];
      const policies = snapshot.networkPolicies
        .filter(
          (p) =>
            p.metadata.namespace === ns &&
            governsIngress(p) &&
            labelSets.some((l) => matchesLabelSelector((p.spec?.podSelector ?? {}) as LabelSelector, l)),
        )
        .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
      if (policies.length === 0) continue;
      const targets = targetPorts(svc);
      const rules = policies.flatMap((p) => ((p.spec?.ingress ?? []) as Rule[]).filter((r) => ruleReaches(r, targets)));
      const ctx: PeerContext = {
        podLabels: snapshot.pods.filter((p) => p.metadata.namespace === ns).map(labelsOf),
        namespaceLabels: snapshot.namespaces.map(labelsOf),
      };
      const dead: string[] = [];
      const r = reach(rules, ctx, dead);
      if (r === "wider") continue;
      const refs = crossNamespaceReferences(snapshot, svc);
      const severity: Severity = r === "none" ? "critical" : refs.length > 0 ? "warning" : "info";
      const culprit =
        policies.find((p) => ((p.spec?.ingress ?? []) as Rule[]).filter((x) => ruleReaches(x, targets)).length === 0) ??
        policies[0]!;
      const one = policies.length === 1;
      const subject = `NetworkPolic${one ? "y" : "ies"} ${policies.map(nameOf).join(", ")}`;
      const used = refs.length ? `, yet it is used from outside the namespace (${refs.slice(0, 3).join("; ")})` : "";
      const onlyDead = dead.length ? ` (its only peers match nothing: ${[...new Set(dead)].join("; ")})` : "";
      const message =
        r === "none"
          ? `${subject} ${one ? "denies" : "deny"} all ingress to the pods behind Service ${qualifiedName(svc)}${onlyDead}${used}`
          : `${subject} ${one ? "admits" : "admit"} only pods of namespace ${ns ?? ""} to the pods behind Service ${qualifiedName(svc)}${used}`;
      findings.push({
        code: "NetworkPolicyIsolation",
        severity,
        object: objectOf(culprit),
        message,
        evidence: [
          ...policies.map(
            (p) =>
              `NetworkPolicy ${qualifiedName(p)}: podSelector=${JSON.stringify(p.spec?.podSelector ?? {})} policyTypes=${JSON.stringify(p.spec?.policyTypes ?? ["Ingress"])} ingress=${JSON.stringify(p.spec?.ingress ?? [])}`,
          ),
          ...refs,
        ],
        remedy: REMEDIES.NetworkPolicyIsolation,
      });
    }
    return findings;
  },
};
