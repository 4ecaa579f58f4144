import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { labelsOf, nameOf, objectOf, qualifiedName } from "../util/objects.ts";

/**
 * A Service some of whose endpoints are not ready (EndpointSlice conditions.ready false,
 * terminating ones aside): it still answers, on fewer backends than intended. No ready
 * endpoint at all is ServiceNoEndpoints.
 */
const SERVICE_NAME = "kubernetes.io/service-name";

interface Endpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; terminating?: boolean };
  targetRef?: { kind?: string; name?: string };
}

export const servicePartlyReadyAnalyser: Analyser = {
  codes: ["ServicePartlyReady"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const svc of snapshot.services) {
      const ns = svc.metadata.namespace;
      const slices = snapshot.endpointSlices.filter(
        (s) => s.metadata.namespace === ns && labelsOf(s)[SERVICE_NAME] === nameOf(svc),
      );
      const eps = slices.flatMap((s) => (s.endpoints ?? []) as Endpoint[]).filter((e) => !e.conditions?.terminating);
      const notReady = eps.filter((e) => e.conditions?.ready === false);
      const ready = eps.length - notReady.length;
      if (notReady.length === 0 || ready === 0) continue;
      const who = notReady
        .slice(0, 5)
        .map((e) => e.targetRef?.name ?? e.addresses?.[0] ?? "?")
        .join(", ");
      findings.push({
        code: "ServicePartlyReady",
        severity: "warning",
        object: objectOf(svc),
        message: `Service ${qualifiedName(svc)} is only partly ready: ${ready}/${eps.length} endpoints ready; not ready: ${who}${notReady.length > 5 ? ", ..." : ""}`,
        evidence: slices.map((s) => {
          const list = (s.endpoints ?? []) as Endpoint[];
          return `EndpointSlice ${nameOf(s)}: ${list.filter((e) => e.conditions?.ready !== false).length}/${list.length} ready`;
        }),
        remedy: REMEDIES.ServicePartlyReady,
      });
    }
    return findings;
  },
};
