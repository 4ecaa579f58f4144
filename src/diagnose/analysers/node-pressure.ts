import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding, FindingCode } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { taintsOf, taintText, tolerates, tolerationsOf } from "../util/nodes.ts";
import {
  conditionOf,
  conditionText,
  eventsFor,
  eventText,
  isUnscheduledPending,
  nameOf,
  objectOf,
  qualifiedName,
  uniq,
} from "../util/objects.ts";
import { schedulingState } from "../util/pods.ts";
import { untoleratedTaints } from "../util/scheduler-message.ts";

/**
 * DiskPressure / MemoryPressure / PIDPressure = True on a node. Names the taint the node
 * controller puts on it, the Pending pods the taint keeps out (FailedScheduling "had
 * untolerated taint {node.kubernetes.io/disk-pressure: }"), and pods kubelet evicted from it.
 */
const KINDS: { code: FindingCode; condition: string; taint: string; remedy: string }[] = [
  {
    code: "NodeDiskPressure",
    condition: "DiskPressure",
    taint: "node.kubernetes.io/disk-pressure",
    remedy: REMEDIES.NodeDiskPressure,
  },
  {
    code: "NodeMemoryPressure",
    condition: "MemoryPressure",
    taint: "node.kubernetes.io/memory-pressure",
    remedy: REMEDIES.NodeMemoryPressure,
  },
  {
    code: "NodePIDPressure",
    condition: "PIDPressure",
    taint: "node.kubernetes.io/pid-pressure",
    remedy: REMEDIES.NodePIDPressure,
  },
];

/** Pending pods whose scheduler message names this taint (or the key-less "untolerated taint(s)" when the pod does not tolerate it). */
function keptOut(snapshot: ClusterSnapshot, taintKey: string): { pods: KObject[]; evidence: string[] } {
  const pods: KObject[] = [];
  const evidence: string[] = [];
  for (const pod of snapshot.pods) {
    if (!isUnscheduledPending(pod)) continue;
    const state = schedulingState(snapshot, pod);
    const hit = state.messages.some((m) =>
      untoleratedTaints(m).some(
        (t) =>
          t.key === taintKey ||
          (t.key === undefined && !tolerates(tolerationsOf(pod), { key: taintKey, effect: "NoSchedule" })),
      ),
    );
    if (!hit) continue;
    pods.push(pod);
    evidence.push(...state.evidence.filter((e) => e.includes("taint")).map((e) => `pod ${qualifiedName(pod)}: ${e}`));
  }
  return { pods, evidence };
}

function evictedFrom(snapshot: ClusterSnapshot, node: KObject): KObject[] {
  return snapshot.pods.filter((p) => p.spec?.nodeName === nameOf(node) && p.status?.reason === "Evicted");
}

export const nodePressureAnalyser: Analyser = {
  codes: KINDS.map((k) => k.code),
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const kind of KINDS) {
      const nodes = snapshot.nodes.filter((n) => conditionOf(n, kind.condition)?.status === "True");
      if (nodes.length === 0) continue;
      const out = keptOut(snapshot, kind.taint);
      for (const node of nodes) {
        const cond = conditionOf(node, kind.condition)!;
        const taint = taintsOf(node).find((t) => t.key === kind.taint);
        const evicted = evictedFrom(snapshot, node);
        const parts = [
          taint ? `tainted ${taintText(taint)}` : `taint ${kind.taint}:NoSchedule not applied yet`,
          out.pods.length
            ? `keeps out ${out.pods.length} Pending pod(s) (${out.pods.map(qualifiedName).slice(0, 5).join(", ")}${out.pods.length > 5 ? ", ..." : ""})`
            : "",
          evicted.length
            ? `${evicted.length} pod(s) evicted (${evicted.map(qualifiedName).slice(0, 5).join(", ")})`
            : "",
        ].filter((p) => p);
        findings.push({
          code: kind.code,
          severity: out.pods.length || evicted.length ? "critical" : "warning",
          object: objectOf(node),
          message: `node ${nameOf(node)} has ${kind.condition}=True${cond.reason ? ` (${cond.reason})` : ""}: ${parts.join("; ")}`,
          evidence: uniq([
            conditionText(cond),
            ...(taint ? [`taint ${taintText(taint)}`] : []),
            ...eventsFor(snapshot, { kind: "Node", name: nameOf(node) })
              .filter((e) => /pressure|FreeDiskSpaceFailed|ImageGCFailed|EvictionThresholdMet/i.test(eventText(e)))
              .map(eventText),
            ...evicted.map((p) => `pod ${qualifiedName(p)} Evicted: ${String(p.status?.message ?? "")}`),
            ...out.evidence,
          ]),
          remedy: kind.remedy,
        });
      }
    }
    return findings;
  },
};
