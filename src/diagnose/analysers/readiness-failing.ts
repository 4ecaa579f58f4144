import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import {
  eventMessage,
  eventsFor,
  eventText,
  labelsOf,
  nameOf,
  objectOf,
  qualifiedName,
  uniq,
} from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";
import { matchesMap } from "../util/selectors.ts";

/**
 * A Running pod with a running container that is not ready because its readiness probe
 * fails ("Readiness probe failed: ..." events, or a readinessProbe and ready=false): the
 * endpoints controller keeps it out of every Service that selects it.
 */
interface Probed {
  name: string;
  readinessProbe?: unknown;
}

export function servicesSelecting(snapshot: ClusterSnapshot, pod: KObject): KObject[] {
  return snapshot.services.filter(
    (s) =>
      s.metadata.namespace === pod.metadata.namespace &&
      matchesMap(s.spec?.selector as Record<string, string> | undefined, labelsOf(pod)),
  );
}

export const readinessFailingAnalyser: Analyser = {
  codes: ["ReadinessProbeFailing"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pod of snapshot.pods) {
      if (pod.status?.phase !== "Running" || pod.metadata.deletionTimestamp) continue;
      const specs = (pod.spec?.containers ?? []) as Probed[];
      const ref = { kind: "Pod", name: nameOf(pod), namespace: pod.metadata.namespace };
      const probeEvents = eventsFor(snapshot, ref, ["Unhealthy"]).filter((e) =>
        /^Readiness probe (failed|errored)/.test(eventMessage(e)),
      );
      const failing = containerStatuses(pod).filter((c) => {
        const running = (c as { state?: { running?: unknown } }).state?.running !== undefined;
        const ready = (c as { ready?: boolean }).ready === true;
        const spec = specs.find((s) => s.name === c.name);
        return running && !ready && spec?.readinessProbe !== undefined;
      });
      if (failing.length === 0) continue;
      const services = servicesSelecting(snapshot, pod);
      const last = probeEvents[0] ? `: ${eventMessage(probeEvents[0])}` : "";
      const behind = services.length
        ? `, so Service${services.length === 1 ? "" : "s"} ${services.map(nameOf).join(", ")} ${services.length === 1 ? "does" : "do"} not send it traffic`
        : "";
      findings.push({
        code: "ReadinessProbeFailing",
        severity: "warning",
        object: objectOf(pod),
        message: `pod ${qualifiedName(pod)} is Running but not Ready: the readiness probe of ${failing.map((c) => c.name).join(", ")} fails${last}${behind}`,
        evidence: uniq([
          ...failing.map(
            (c) =>
              `${c.name}: running, ready=false, readinessProbe ${JSON.stringify(specs.find((s) => s.name === c.name)?.readinessProbe)}`,
          ),
          ...probeEvents.slice(0, 3).map(eventText),
        ]),
        remedy: REMEDIES.ReadinessProbeFailing,
      });
    }
    return findings;
  },
};
