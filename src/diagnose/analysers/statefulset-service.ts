import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { nameOf, objectOf, qualifiedName, readable } from "../util/objects.ts";

/**
 * A StatefulSet whose spec.serviceName names a Service that does not exist in its
 * namespace: the governing (headless) Service that gives each pod its stable network
 * identity (<pod>.<service>) is missing, so those DNS names do not resolve.
 */
export const statefulSetServiceAnalyser: Analyser = {
  codes: ["StatefulSetServiceMissing"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    if (!readable(snapshot, "services")) return [];
    const findings: Finding[] = [];
    for (const sts of snapshot.statefulSets) {
      const name = sts.spec?.serviceName as string | undefined;
      if (!name) continue;
      const ns = sts.metadata.namespace;
      if (snapshot.services.some((s) => nameOf(s) === name && s.metadata.namespace === ns)) continue;
      findings.push({
        code: "StatefulSetServiceMissing",
        severity: "warning",
        object: objectOf(sts),
        message: `StatefulSet ${qualifiedName(sts)} names serviceName "${name}", but no Service ${name} exists in ${ns ?? "its namespace"}: its pods get no stable DNS names (${nameOf(sts)}-0.${name})`,
        evidence: [`StatefulSet ${qualifiedName(sts)} spec.serviceName=${name}`, `no Service ${ns ?? ""}/${name}`],
        remedy: REMEDIES.StatefulSetServiceMissing,
      });
    }
    return findings;
  },
};
