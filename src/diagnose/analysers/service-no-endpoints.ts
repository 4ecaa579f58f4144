import { hasReadyCondition } from "../../k8s/objects.ts";
import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { conditionOf, isActivePod, labelsOf, nameOf, objectOf, qualifiedName } from "../util/objects.ts";
import { containerStatuses } from "../util/pods.ts";
import { readyEndpoints, slicesOf } from "../util/endpoints.ts";
import { describeSelector, matchesMap } from "../util/selectors.ts";

/**
 * A Service with a selector and no ready endpoint. Readiness comes from its EndpointSlices
 * (label kubernetes.io/service-name; conditions.ready unset counts as ready); when no slice
 * exists yet, from the matching pods. Says whether any pod matches the selector at all, or
 * which matching pods are not Ready and why.
 */

/** "api-1 (CrashLoopBackOff)", "api-2 (Pending)", "api-3 (Ready=False ContainersNotReady)". */
function whyNotReady(p: KObject): string {
  const waiting = containerStatuses(p)
    .map((c) => c.state?.waiting?.reason)
    .find((r) => r);
  if (waiting) return `${nameOf(p)} (${waiting})`;
  if (p.status?.phase !== "Running") return `${nameOf(p)} (${String(p.status?.phase ?? "unknown phase")})`;
  const c = conditionOf(p, "Ready");
  return `${nameOf(p)} (Ready=${c?.status ?? "?"}${c?.reason ? ` ${c.reason}` : ""})`;
}

export const serviceNoEndpointsAnalyser: Analyser = {
  codes: ["ServiceNoEndpoints"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const svc of snapshot.services) {
      const selector = svc.spec?.selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === "ExternalName") continue;
      const ns = svc.metadata.namespace;
      const slices = slicesOf(snapshot, svc);
      const pods = snapshot.pods.filter(
        (p) =>
          p.metadata.namespace === ns &&
          isActivePod(p) &&
          !p.metadata.deletionTimestamp &&
          matchesMap(selector, labelsOf(p)),
      );
      const ready = slices.length > 0 ? readyEndpoints(slices) : pods.filter(hasReadyCondition).length;
      if (ready > 0) continue;
      const sel = describeSelector(selector);
      const cause =
        pods.length === 0
          ? `no pod in ${ns ?? "the namespace"} matches the selector ${sel}`
          : `${pods.length} pod(s) match ${sel} but none is Ready: ${pods.slice(0, 5).map(whyNotReady).join(", ")}${pods.length > 5 ? ", ..." : ""}`;
      findings.push({
        code: "ServiceNoEndpoints",
        severity: "warning",
        object: objectOf(svc),
        message: `Service ${qualifiedName(svc)} has no ready endpoints: ${cause}`,
        evidence: [
          slices.length
            ? `EndpointSlices ${slices.map(nameOf).join(", ")}: 0 ready endpoints`
            : `no EndpointSlice labelled kubernetes.io/service-name=${nameOf(svc)}`,
          ...pods
            .slice(0, 5)
            .map(
              (p) =>
                `pod ${nameOf(p)}: phase=${String(p.status?.phase ?? "?")} Ready=${conditionOf(p, "Ready")?.status ?? "?"}`,
            ),
        ],
        remedy: REMEDIES.ServiceNoEndpoints,
      });
    }
    return findings;
  },
};
