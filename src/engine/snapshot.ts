import type { ClusterSnapshot } from "../diagnose/types.ts";
import type { KObject, ResourceType } from "../k8s/types.ts";
import type { Need } from "./types.ts";

type ListKey = Exclude<keyof ClusterSnapshot, "namespace" | "network">;

/** Which resource type fills which ClusterSnapshot list, and whether it is namespaced. */
const SOURCES: { key: ListKey; type: ResourceType; namespaced: boolean; optional?: boolean }[] = [
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
  { key: "ingressClasses", type: { apiVersion: "networking.k8s.io/v1", kind: "IngressClass" }, namespaced: false, optional: true },
  { key: "networkPolicies", type: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" }, namespaced: true },
  { key: "ipPools", type: { apiVersion: "crd.projectcalico.org/v1", kind: "IPPool" }, namespaced: false, optional: true },
];

/** What the view must watch so that snapshot(namespace) is complete. */
export function snapshotNeeds(namespace: string | undefined): Need[] {
  return SOURCES.map((s) => ({
    ...s.type,
    ...(s.namespaced && namespace ? { namespace } : {}),
    ...(s.optional ? { optional: true } : {}),
  }));
}

/** Builds a ClusterSnapshot from cached lists; namespaced lists are narrowed to `namespace`. */
export function buildSnapshot(list: (t: ResourceType) => KObject[], namespace: string | undefined, network: ClusterSnapshot["network"]): ClusterSnapshot {
  const snap = { network: { ...network }, ...(namespace ? { namespace } : {}) } as ClusterSnapshot;
  for (const s of SOURCES) {
    const items = list(s.type);
    snap[s.key] = s.namespaced && namespace ? items.filter((o) => o.metadata.namespace === namespace) : items;
  }
  return snap;
}
