import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { eventMessage, eventsFor, eventText, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";

/**
 * Containers waiting in CreateContainerConfigError: kubelet cannot build the container's
 * configuration, almost always a ConfigMap or Secret (or one of its keys) that an env,
 * envFrom or volume reference names and that does not exist.
 */
export function configCause(message: string): string {
  let m = /couldn't find key (\S+) in (ConfigMap|Secret) (\S+)/.exec(message);
  if (m) return `key ${m[1]} is missing from ${m[2]} ${m[3]}`;
  m = /(configmap|secret) "([^"]+)" not found/i.exec(message);
  if (m) return `${m[1]?.toLowerCase() === "secret" ? "Secret" : "ConfigMap"} ${m[2]} does not exist`;
  return message || "kubelet cannot build the container's configuration";
}

export const containerConfigErrorAnalyser: Analyser = {
  codes: ["ContainerConfigError"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      const stuck = containerStatuses(pod).filter((c) => c.state?.waiting?.reason === "CreateContainerConfigError");
      if (stuck.length === 0) continue;
      const ref = { kind: "Pod", name: nameOf(pod), namespace: pod.metadata.namespace };
      const events = eventsFor(snapshot, ref, ["Failed"]).filter((e) =>
        /not found|couldn't find key/.test(eventMessage(e)),
      );
      for (const c of stuck) {
        const waiting = c.state?.waiting ?? {};
        const text = waiting.message ?? (events[0] ? eventMessage(events[0]) : "");
        findings.push({
          code: "ContainerConfigError",
          severity: "critical",
          object: objectOf(pod),
          message: `pod ${qualifiedName(pod)} container ${c.name} cannot be created (CreateContainerConfigError): ${configCause(text)}`,
          evidence: uniq([
            `${c.name}: waiting CreateContainerConfigError${waiting.message ? `: ${waiting.message}` : ""}`,
            ...events.slice(0, 2).map(eventText),
          ]),
          remedy: REMEDIES.ContainerConfigError,
        });
      }
    }
    return findings;
  },
};
