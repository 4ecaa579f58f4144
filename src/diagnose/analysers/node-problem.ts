import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { conditionText, eventsFor, eventText, nameOf, objectOf, uniq, type Condition } from "../util/objects.ts";

/**
 * Node conditions other than Ready and the three pressures that are True: the problems
 * node-problem-detector reports (KernelDeadlock, ReadonlyFilesystem, FrequentKubeletRestart,
 * CorruptDockerOverlay2, ...) and NetworkUnavailable. One finding per node; critical for
 * a kernel deadlock, a read-only filesystem or no network, warning otherwise.
 */
const HANDLED = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];
/** Problems that leave the node unable to run pods correctly until it is rebooted or replaced. */
const CRITICAL = ["KernelDeadlock", "ReadonlyFilesystem", "NetworkUnavailable"];

export const nodeProblemAnalyser: Analyser = {
  codes: ["NodeProblem"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const node of snapshot.nodes) {
      const list = (Array.isArray(node.status?.conditions) ? node.status.conditions : []) as Condition[];
      const problems = list.filter((c) => !HANDLED.includes(c.type) && c.status === "True");
      if (problems.length === 0) continue;
      findings.push({
        code: "NodeProblem",
        severity: problems.some((c) => CRITICAL.includes(c.type)) ? "critical" : "warning",
        object: objectOf(node),
        message: `node ${nameOf(node)} reports ${problems.map((c) => `${c.type}${c.reason ? ` (${c.reason})` : ""}`).join(", ")}${problems[0]?.message ? `: ${problems[0].message}` : ""}`,
        evidence: uniq([
          ...problems.map(conditionText),
          ...eventsFor(snapshot, { kind: "Node", name: nameOf(node) })
            .filter((e) =>
              problems.some((c) => eventText(e).includes(c.type) || (c.reason && eventText(e).includes(c.reason))),
            )
            .slice(0, 3)
            .map(eventText),
        ]),
        remedy: REMEDIES.NodeProblem,
      });
    }
    return findings;
  },
};
