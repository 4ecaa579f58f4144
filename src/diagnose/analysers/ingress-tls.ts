import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { nameOf, objectOf, qualifiedName, readable } from "../util/objects.ts";

/**
 * Ingress spec.tls entries whose secretName does not exist in the Ingress's namespace:
 * the controller cannot terminate TLS with the intended certificate (it falls back to its
 * default, self-signed one). Judged from Secret names only (metadata-only list, never
 * data), and only when Secrets could be read.
 */
export const ingressTlsAnalyser: Analyser = {
  codes: ["IngressTLSSecretMissing"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    if (!readable(snapshot, "secretNames")) return [];
    const findings: Finding[] = [];
    for (const ing of snapshot.ingresses) {
      const ns = ing.metadata.namespace;
      for (const tls of (ing.spec?.tls ?? []) as { hosts?: string[]; secretName?: string }[]) {
        const name = tls.secretName;
        if (!name) continue;
        if (snapshot.secretNames.some((s) => nameOf(s) === name && s.metadata.namespace === ns)) continue;
        const hosts = (tls.hosts ?? []).join(", ") || "its hosts";
        findings.push({
          code: "IngressTLSSecretMissing",
          severity: "warning",
          object: objectOf(ing),
          message: `Ingress ${qualifiedName(ing)} terminates TLS for ${hosts} with Secret "${name}", which does not exist in ${ns ?? "its namespace"}: clients get the controller's default certificate`,
          evidence: [
            `Ingress ${qualifiedName(ing)} spec.tls: hosts=${hosts} secretName=${name}`,
            `no Secret ${ns ?? ""}/${name}`,
          ],
          remedy: REMEDIES.IngressTLSSecretMissing,
        });
      }
    }
    return findings;
  },
};
