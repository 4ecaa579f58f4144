import { withContext } from "../errors.ts";
import type { Kube } from "../k8s/kube.ts";
import type { KObject, ResourceType } from "../k8s/types.ts";
import { discoverNetwork } from "./network.ts";
import { isMissingOrForbidden } from "./util/api-errors.ts";
import type { ClusterSnapshot } from "./types.ts";

/**
 * Reads a ClusterSnapshot through the Kube interface: one list per type, in parallel.
 * A list the API refuses with 404 (kind or CRD not installed) or 403 (RBAC) becomes an
 * empty list; any other failure is an error naming the type.
 */
type ListKey = Exclude<keyof ClusterSnapshot, "namespace" | "network">;

const TYPES: { key: ListKey; type: ResourceType; namespaced: boolean }[] = [
  { key: "nodes", type: { apiVersion: "v1", kind: "Node" }, namespaced: false },
  { key: "pods", type: { apiVersion: "v1", kind: "Pod" }, namespaced: true },
  { key: "events", type: { apiVersion: "v1", kind: "Event" }, namespaced: true },
  { key: "services", type: { apiVersion: "v1", kind: "Service" }, namespaced: true },
  { key: "endpointSlices", type: { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" }, namespaced: true },
  { key: "deployments", type: { apiVersion: "apps/v1", kind: "Deployment" }, namespaced: true },
  { key: "replicaSets", type: { apiVersion: "apps/v1", kind: "ReplicaSet" }, namespaced: true },
  { key: "statefulSets", type: { apiVersion: "apps/v1", kind: "StatefulSet" }, namespaced: true },
  { key: "resourceQuotas", type: { apiVersion: "v1", kind: "ResourceQuota" }, namespaced: true },
  { key: "persistentVolumeClaims", type: { apiVersion: "v1", kind: "PersistentVolumeClaim" }, namespaced: true },
  { key: "persistentVolumes", type: { apiVersion: "v1", kind: "PersistentVolume" }, namespaced: false },
  { key: "storageClasses", type: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass" }, namespaced: false },
  { key: "ingresses", type: { apiVersion: "networking.k8s.io/v1", kind: "Ingress" }, namespaced: true },
  { key: "ingressClasses", type: { apiVersion: "networking.k8s.io/v1", kind: "IngressClass" }, namespaced: false },
  { key: "networkPolicies", type: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" }, namespaced: true },
  { key: "ipPools", type: { apiVersion: "crd.projectcalico.org/v1", kind: "IPPool" }, namespaced: false },
];

/** Lists a type; [] when it is missing or forbidden. */
export async function listOrEmpty(kube: Kube, type: ResourceType, namespace?: string): Promise<KObject[]> {
  try {
    const res = await kube.list(type, namespace ? { namespace } : {});
    return res.items.map((o) => ({ ...o, apiVersion: o.apiVersion ?? type.apiVersion, kind: o.kind ?? type.kind }));
  } catch (err) {
    if (isMissingOrForbidden(err)) return [];
    throw withContext(`listing ${type.kind} (${type.apiVersion})${namespace ? ` in ${namespace}` : ""}`, err);
  }
}

export async function collectSnapshot(kube: Kube, opts: { namespace?: string; network?: { serviceCIDR?: string; podCIDR?: string } } = {}): Promise<ClusterSnapshot> {
  const ns = opts.namespace;
  const [lists, discovered] = await Promise.all([
    Promise.all(TYPES.map(async (t) => [t.key, await listOrEmpty(kube, t.type, t.namespaced ? ns : undefined)] as const)),
    opts.network?.serviceCIDR && opts.network?.podCIDR ? Promise.resolve({}) : discoverNetwork(kube),
  ]);
  const snapshot = Object.fromEntries(lists) as Record<ListKey, KObject[]>;
  const network = { ...discovered, ...dropUndefined(opts.network ?? {}) };
  return { ...(ns ? { namespace: ns } : {}), ...snapshot, network };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}
