import type { Kube } from "../../src/k8s/kube.ts";
import { LABEL_MANAGED, MANAGED_BY } from "../../src/k8s/types.ts";

/**
 * What a finished run must not leave behind in the local cluster: kubedrill namespaces,
 * kubedrill-managed cluster-scoped objects (other than the cluster's own kwok stages),
 * stopped nodes, DiskPressure, taints, changed kwok stages, and run heartbeat Leases (a
 * finished run removes its own; `lease: false` for a check while a run is going on).
 */
export async function leftovers(kube: Kube, o: { lease?: boolean } = {}): Promise<string[]> {
  const found: string[] = [];
  const selector = `${LABEL_MANAGED}=${MANAGED_BY}`;
  if (o.lease !== false) {
    const lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };
    for (const l of (await kube.list(lease, { namespace: "default", labelSelector: selector })).items)
      found.push(`Lease/default/${l.metadata.name}`);
  }
  for (const ns of (await kube.list({ apiVersion: "v1", kind: "Namespace" })).items) {
    if (ns.metadata.name?.startsWith("kd-")) found.push(`Namespace/${ns.metadata.name} (${ns.status?.phase})`);
  }
  for (const type of [
    { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass" },
    { apiVersion: "storage.k8s.io/v1", kind: "StorageClass" },
    { apiVersion: "networking.k8s.io/v1", kind: "IngressClass" },
    { apiVersion: "v1", kind: "PersistentVolume" },
    { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" },
  ]) {
    for (const o of (await kube.list(type, { labelSelector: selector })).items) {
      if (type.kind === "CustomResourceDefinition" && o.metadata.name === "stages.kwok.x-k8s.io") continue;
      found.push(`${type.kind}/${o.metadata.name}`);
    }
  }
  for (const n of (await kube.list({ apiVersion: "v1", kind: "Node" })).items) {
    const cond = (t: string) => (n.status?.conditions ?? []).find((c: { type: string }) => c.type === t)?.status;
    if (cond("Ready") !== "True") found.push(`Node/${n.metadata.name} Ready=${cond("Ready")}`);
    if (cond("DiskPressure") !== "False") found.push(`Node/${n.metadata.name} DiskPressure=${cond("DiskPressure")}`);
    for (const t of n.spec?.taints ?? []) found.push(`Node/${n.metadata.name} taint ${t.key}:${t.effect}`);
    if (n.spec?.unschedulable) found.push(`Node/${n.metadata.name} cordoned`);
  }
  const stages = (await kube.list({ apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "Stage" })).items
    .map((s) => s.metadata.name)
    .sort();
  if (stages.join(",") !== "kubedrill-node-ready,kubedrill-pod-crash,kubedrill-pod-remove,kubedrill-pod-start")
    found.push(`kwok stages: ${stages.join(", ")}`);
  const podStart = stages.includes("kubedrill-pod-start")
    ? await kube.get({ apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "Stage", name: "kubedrill-pod-start" })
    : undefined;
  if (JSON.stringify(podStart?.spec?.selector ?? {}).includes("nodeName"))
    found.push("kwok stage kubedrill-pod-start still excludes nodes");
  return found;
}
