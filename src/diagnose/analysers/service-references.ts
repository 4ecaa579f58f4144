import type { KObject } from "../../k8s/types.ts";
import type { ClusterSnapshot } from "../types.ts";
import { nameOf, qualifiedName } from "../util/objects.ts";

/**
 * Evidence that a Service is used from outside its namespace, for NetworkPolicyIsolation:
 * an Ingress routing to it (the ingress controller's pods run in another namespace), pods
 * in other namespaces whose env or args name "<svc>.<ns>", and ExternalName Services
 * elsewhere pointing at it.
 */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function podTexts(pod: KObject): string[] {
  const out: string[] = [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as {
    env?: { name?: string; value?: string }[];
    args?: string[];
    command?: string[];
  }[];
  for (const c of containers) {
    for (const e of c.env ?? []) if (typeof e.value === "string") out.push(`env ${e.name ?? "?"}=${e.value}`);
    for (const a of [...(c.command ?? []), ...(c.args ?? [])]) out.push(`arg ${a}`);
  }
  return out;
}

export function crossNamespaceReferences(snapshot: ClusterSnapshot, svc: KObject): string[] {
  const name = nameOf(svc);
  const ns = svc.metadata.namespace ?? "";
  const refs: string[] = [];
  for (const ing of snapshot.ingresses) {
    if (ing.metadata.namespace !== ns) continue;
    const rules = (ing.spec?.rules ?? []) as { http?: { paths?: { backend?: { service?: { name?: string } } }[] } }[];
    const viaRules = rules.some((r) => (r.http?.paths ?? []).some((p) => p.backend?.service?.name === name));
    if (viaRules || ing.spec?.defaultBackend?.service?.name === name)
      refs.push(`Ingress ${qualifiedName(ing)} routes to it from the ingress controller's namespace`);
  }
  const dns = new RegExp(`(^|[^a-z0-9.-])${escape(name)}\\.${escape(ns)}(\\.svc|[^a-z0-9-]|$)`);
  for (const pod of snapshot.pods) {
    if (pod.metadata.namespace === ns) continue;
    const hit = podTexts(pod).find((t) => dns.test(t));
    if (hit) refs.push(`pod ${qualifiedName(pod)} names it (${hit})`);
  }
  for (const other of snapshot.services) {
    if (other.metadata.namespace === ns || other.spec?.type !== "ExternalName") continue;
    if (dns.test(String(other.spec?.externalName ?? "")))
      refs.push(`ExternalName Service ${qualifiedName(other)} points at it`);
  }
  return [...new Set(refs)];
}
