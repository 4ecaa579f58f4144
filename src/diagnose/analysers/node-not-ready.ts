import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { isNodeReady, nodeZone, taintsOf, taintText, TAINT_NOT_READY, TAINT_UNREACHABLE } from "../util/nodes.ts";
import { conditionOf, conditionText, eventsFor, eventText, nameOf, objectOf, uniq } from "../util/objects.ts";

/**
 * Nodes whose Ready condition is False/Unknown, or that carry the unreachable / not-ready
 * taint. One finding per node; the message names the zone and how much of it is left.
 */
export const nodeNotReadyAnalyser: Analyser = {
  codes: ["NodeNotReady"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const node of snapshot.nodes) {
      if (isNodeReady(node)) continue;
      const ready = conditionOf(node, "Ready");
      const taints = taintsOf(node).filter((t) => t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY);
      const zone = nodeZone(node);
      const inZone = snapshot.nodes.filter((n) => nodeZone(n) === zone);
      const readyInZone = inZone.filter(isNodeReady).length;
      const state = ready ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ""}` : "no Ready condition";
      const taintNote = taints.length ? `, tainted ${taints.map(taintText).join(", ")}` : "";
      const zoneNote = zone
        ? `zone ${zone} has ${readyInZone}/${inZone.length} nodes Ready${readyInZone === 0 ? " (the whole zone is down)" : ""}`
        : "node has no topology.kubernetes.io/zone label";
      findings.push({
        code: "NodeNotReady",
        severity: "critical",
        object: objectOf(node),
        message: `node ${nameOf(node)}${zone ? ` in zone ${zone}` : ""} is NotReady: ${state}${taintNote}; ${zoneNote}`,
        evidence: uniq([
          ...(ready ? [conditionText(ready)] : []),
          ...taints.map((t) => `taint ${taintText(t)}`),
          ...eventsFor(snapshot, { kind: "Node", name: nameOf(node) }, ["NodeNotReady"]).map(eventText),
        ]),
        remedy: REMEDIES.NodeNotReady,
      });
    }
    return findings;
  },
};
