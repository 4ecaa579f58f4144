import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { isActivePod, labelsOf, nameOf, objectOf, qualifiedName } from "../util/objects.ts";
import { matchesMap } from "../util/selectors.ts";

/**
 * A Service port whose targetPort no selected pod's container declares:
 * - a named targetPort no container has: the endpoints get no port, traffic goes nowhere;
 * - a numeric targetPort while the containers declare other ports (and not this one).
 * For a numeric targetPort, pods that declare no ports are not judged (declaring is optional).
 */
interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}

function portsOf(pod: KObject): ContainerPort[] {
  return ((pod.spec?.containers ?? []) as { ports?: ContainerPort[] }[]).flatMap((c) => c.ports ?? []);
}

const describe = (ports: ContainerPort[]): string =>
  [...new Set(ports.map((p) => (p.name ? `${p.name}/${p.containerPort ?? "?"}` : String(p.containerPort))))].join(", ");

export const serviceTargetPortAnalyser: Analyser = {
  codes: ["ServiceTargetPortMismatch"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const svc of snapshot.services) {
      const selector = svc.spec?.selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === "ExternalName") continue;
      const pods = snapshot.pods.filter(
        (p) => p.metadata.namespace === svc.metadata.namespace && isActivePod(p) && matchesMap(selector, labelsOf(p)),
      );
      const declared = pods.map(portsOf).filter((ports) => ports.length > 0);
      if (pods.length === 0) continue;
      for (const sp of (svc.spec?.ports ?? []) as { name?: string; port?: number; targetPort?: number | string }[]) {
        const target = sp.targetPort ?? sp.port;
        if (target === undefined) continue;
        const named = typeof target === "string" && !/^\d+$/.test(target);
        const hit = (ports: ContainerPort[]) =>
          ports.some((p) => (named ? p.name === target : p.containerPort === Number(target)));
        if (named ? pods.some((p) => hit(portsOf(p))) : declared.length === 0 || declared.some(hit)) continue;
        const all = declared.flat();
        const sample = pods.slice(0, 3).map(nameOf).join(", ");
        findings.push({
          code: "ServiceTargetPortMismatch",
          severity: named ? "critical" : "warning",
          object: objectOf(svc),
          message: `Service ${qualifiedName(svc)} port ${sp.name ?? sp.port ?? "?"} targets ${named ? `port name "${target}"` : `port ${target}`}, which no selected container ${named ? "declares: its endpoints get no port" : "exposes"} (containers declare ${describe(all) || "no ports"})`,
          evidence: [
            `Service ${qualifiedName(svc)} port ${sp.port ?? "?"} targetPort ${target}`,
            `selected pods (${pods.length}: ${sample}${pods.length > 3 ? ", ..." : ""}) declare containerPorts ${describe(all) || "none"}`,
          ],
          remedy: REMEDIES.ServiceTargetPortMismatch,
        });
      }
    }
    return findings;
  },
};
