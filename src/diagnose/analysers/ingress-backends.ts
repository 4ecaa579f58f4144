import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { nameOf, objectOf, qualifiedName, readable } from "../util/objects.ts";

/**
 * Ingress backends whose Service does not exist in the Ingress's namespace, or whose port
 * (number or name) is not on the Service: the controller answers 503 for those paths.
 * Skipped when Services could not be listed (RBAC), to avoid reporting every backend.
 */
interface Backend {
  service?: { name?: string; port?: { number?: number; name?: string } };
}

function backendsOf(ing: KObject): { where: string; backend: Backend }[] {
  const out: { where: string; backend: Backend }[] = [];
  if (ing.spec?.defaultBackend) out.push({ where: "defaultBackend", backend: ing.spec.defaultBackend as Backend });
  for (const r of (ing.spec?.rules ?? []) as {
    host?: string;
    http?: { paths?: { path?: string; backend?: Backend }[] };
  }[]) {
    for (const p of r.http?.paths ?? [])
      if (p.backend) out.push({ where: `${r.host || "*"}${p.path ?? "/"}`, backend: p.backend });
  }
  return out;
}

function ingressBackendFindings(snapshot: ClusterSnapshot): Finding[] {
  if (!readable(snapshot, "services") || (snapshot.services.length === 0 && snapshot.namespace === undefined))
    return [];
  const findings: Finding[] = [];
  for (const ing of snapshot.ingresses) {
    const ns = ing.metadata.namespace;
    for (const { where, backend } of backendsOf(ing)) {
      const name = backend.service?.name;
      if (!name) continue;
      const svc = snapshot.services.find((s) => nameOf(s) === name && s.metadata.namespace === ns);
      const port = backend.service?.port;
      const ports = (svc?.spec?.ports ?? []) as { port?: number; name?: string }[];
      let problem: string | undefined;
      if (!svc) problem = `Service "${name}", which does not exist in ${ns ?? "its namespace"}`;
      else if (port?.number !== undefined && !ports.some((p) => p.port === port.number))
        problem = `port ${port.number} of Service "${name}", which exposes ${ports.map((p) => p.port).join(", ") || "no ports"}`;
      else if (port?.name !== undefined && !ports.some((p) => p.name === port.name))
        problem = `port "${port.name}" of Service "${name}", which has ports ${ports.map((p) => p.name ?? String(p.port)).join(", ") || "none"}`;
      if (!problem) continue;
      findings.push({
        code: "IngressBackendMissing",
        severity: "warning",
        object: objectOf(ing),
        message: `Ingress ${qualifiedName(ing)} routes ${where} to ${problem}`,
        evidence: [
          `Ingress ${qualifiedName(ing)} ${where} backend service ${name} port ${port?.number ?? port?.name ?? "?"}`,
        ],
        remedy: REMEDIES.IngressBackendMissing,
      });
    }
  }
  return findings;
}

export const ingressBackendMissingAnalyser: Analyser = {
  codes: ["IngressBackendMissing"],
  analyse: ingressBackendFindings,
};
