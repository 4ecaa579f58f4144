import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { isNodeReady, nodeZone } from "../util/nodes.ts";
import { isUnscheduledPending, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";
import { schedulingState } from "../util/pods.ts";
import { antiAffinityFindings } from "./pod-anti-affinity.ts";
import {
  describeRequirement,
  requirementMatches,
  nodeFields,
  termMatches,
  type NodeSelectorTerm,
  type Requirement,
} from "../util/selectors.ts";

/**
 * A Pending pod whose nodeSelector / required node affinity matches no Ready, schedulable
 * node. Names the requirement; when nodes do match but are down, names the zone that has
 * no Ready nodes left. Also required pod anti-affinity no node can satisfy
 * (pod-anti-affinity.ts).
 */
interface Check {
  text: string;
  matches(node: KObject): boolean;
}

function checksOf(pod: KObject): { checks: Check[]; terms?: NodeSelectorTerm[] } {
  const checks: Check[] = [];
  for (const [k, v] of Object.entries((pod.spec?.nodeSelector ?? {}) as Record<string, string>)) {
    checks.push({ text: `${k}=${v}`, matches: (n) => (n.metadata.labels ?? {})[k] === v });
  }
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as
    NodeSelectorTerm[] | undefined;
  if (terms) {
    for (const t of terms) {
      for (const r of (t.matchExpressions ?? []) as Requirement[])
        checks.push({ text: describeRequirement(r), matches: (n) => requirementMatches(r, n.metadata.labels ?? {}) });
      for (const r of (t.matchFields ?? []) as Requirement[])
        checks.push({ text: describeRequirement(r, true), matches: (n) => requirementMatches(r, nodeFields(n)) });
    }
  }
  return { checks, terms };
}

function nodeMatches(pod: KObject, terms: NodeSelectorTerm[] | undefined, node: KObject): boolean {
  const sel = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  if (!Object.entries(sel).every(([k, v]) => (node.metadata.labels ?? {})[k] === v)) return false;
  return terms === undefined || terms.some((t) => termMatches(t, node));
}

const usable = (n: KObject): boolean => isNodeReady(n) && n.spec?.unschedulable !== true;

function whyDown(n: KObject): string {
  if (!isNodeReady(n)) return "NotReady";
  return "cordoned";
}

export const affinityUnsatisfiableAnalyser: Analyser = {
  codes: ["AffinityUnsatisfiable"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    if (snapshot.nodes.length === 0) return [];
    const findings: Finding[] = antiAffinityFindings(snapshot);
    for (const pod of snapshot.pods) {
      if (!isUnscheduledPending(pod)) continue;
      const { checks, terms } = checksOf(pod);
      if (checks.length === 0 && terms === undefined) continue;
      const candidates = snapshot.nodes.filter((n) => nodeMatches(pod, terms, n));
      if (candidates.some(usable)) continue;
      const up = snapshot.nodes.filter(usable);
      const failing = checks.filter((c) => !up.some(c.matches)).map((c) => c.text);
      const requirement =
        failing.length > 0 ? failing.join(" and ") : `all of ${checks.map((c) => c.text).join(", ")} together`;
      let why: string;
      if (candidates.length > 0) {
        const list = candidates.map((n) => `${nameOf(n)} ${whyDown(n)}`).join(", ");
        const deadZones = uniq(candidates.map((n) => nodeZone(n) ?? "")).filter(
          (z) => !snapshot.nodes.some((n) => nodeZone(n) === z && usable(n)),
        );
        const zoneText = deadZones.map((z) => {
          const all = snapshot.nodes.filter((n) => nodeZone(n) === z).length;
          return `zone ${z} has no Ready nodes (0/${all})`;
        });
        why = `the ${candidates.length === 1 ? "only matching node is" : `${candidates.length} matching nodes are`} down (${list})${zoneText.length ? `; ${zoneText.join("; ")}` : ""}`;
      } else {
        why = `no node matches${describeValues(snapshot.nodes, checks, failing)}`;
      }
      findings.push({
        code: "AffinityUnsatisfiable",
        severity: "critical",
        object: objectOf(pod),
        message: `pod ${qualifiedName(pod)} requires ${requirement}, which no Ready schedulable node satisfies: ${why}`,
        evidence: schedulingState(snapshot, pod).evidence,
        remedy: REMEDIES.AffinityUnsatisfiable,
      });
    }
    return findings;
  },
};

/** " (node values of disktype: hdd, nvme)" for the label keys of the failing requirements. */
function describeValues(nodes: readonly KObject[], checks: Check[], failing: string[]): string {
  const keys = uniq(
    checks
      .filter((c) => failing.includes(c.text) && !c.text.startsWith("field "))
      .map((c) => c.text.split(/[= ]/)[0] ?? ""),
  );
  const parts = keys.map((k) => {
    const values = uniq(nodes.map((n) => (n.metadata.labels ?? {})[k] ?? ""));
    return values.length ? `node values of ${k}: ${values.join(", ")}` : `no node has label ${k}`;
  });
  return parts.length ? ` (${parts.join("; ")})` : "";
}
