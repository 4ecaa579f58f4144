import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { eventMessage, eventsFor, eventText, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";

/**
 * A scheduled pod whose sandbox kubelet cannot create (FailedCreatePodSandBox): a
 * RuntimeClass whose handler the container runtime does not have, the CNI plugin failing
 * to set up the pod network, or another runtime error. Its containers never start.
 */
type Cause = keyof typeof REMEDIES.SandboxCreationFailed;

export function sandboxCause(message: string): { cause: Cause; text: string } {
  if (/no runtime for|runtime handler|RuntimeHandler|failed to get sandbox runtime/i.test(message))
    return { cause: "runtimeClass", text: "the container runtime has no handler for the pod's RuntimeClass" };
  if (/cni|network|failed to (allocate|assign) (an )?ip|plugin type=/i.test(message))
    return { cause: "network", text: "the CNI plugin could not set up the pod network" };
  return { cause: "other", text: "the container runtime could not create the pod sandbox" };
}

export const sandboxFailureAnalyser: Analyser = {
  codes: ["SandboxCreationFailed"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      if (pod.status?.phase !== "Pending" || !pod.spec?.nodeName || pod.metadata.deletionTimestamp) continue;
      const ref = { kind: "Pod", name: nameOf(pod), namespace: pod.metadata.namespace };
      const events = eventsFor(snapshot, ref, ["FailedCreatePodSandBox"]);
      if (events.length === 0) continue;
      const { cause, text } = sandboxCause(eventMessage(events[0]!));
      const rcName = pod.spec?.runtimeClassName as string | undefined;
      const rc = rcName ? snapshot.runtimeClasses.find((r) => nameOf(r) === rcName) : undefined;
      const rcNote = rcName ? ` (RuntimeClass ${rcName}${rc ? `, handler ${String(rc.handler ?? "?")}` : ""})` : "";
      findings.push({
        code: "SandboxCreationFailed",
        severity: "critical",
        object: objectOf(pod),
        message: `pod ${qualifiedName(pod)} cannot start on node ${String(pod.spec.nodeName)}: failed to create pod sandbox: ${text}${cause === "runtimeClass" ? rcNote : ""}`,
        evidence: uniq([
          ...events.slice(0, 3).map(eventText),
          ...(rc ? [`RuntimeClass ${rcName}: handler=${String(rc.handler ?? "")}`] : []),
        ]),
        remedy: REMEDIES.SandboxCreationFailed[cause],
      });
    }
    return findings;
  },
};
