import type { ResourceType } from "../k8s/types.ts";
import type { ClusterSnapshot } from "./types.ts";

export type SnapshotListKey = Exclude<keyof ClusterSnapshot, "namespace" | "network" | "unreadable">;

/**
 * Which resource type fills which ClusterSnapshot list, whether it is namespaced, and
 * whether it may be missing (a CRD that is not installed, an optional API). Shared by the
 * one-shot collector (diagnose) and the runner's watch-fed cache.
 */
export const SNAPSHOT_SOURCES: readonly {
  key: SnapshotListKey;
  type: ResourceType;
  namespaced: boolean;
  optional?: boolean;
  /** List metadata only (Secrets: names, never data). */
  metadataOnly?: boolean;
  /** Read by the one-shot collector only, never watched by the runner (it would cache the objects). */
  collectOnly?: boolean;
}[] = [
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
  {
    key: "ingressClasses",
    type: { apiVersion: "networking.k8s.io/v1", kind: "IngressClass" },
    namespaced: false,
    optional: true,
  },
  { key: "networkPolicies", type: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" }, namespaced: true },
  { key: "jobs", type: { apiVersion: "batch/v1", kind: "Job" }, namespaced: true, optional: true },
  { key: "namespaces", type: { apiVersion: "v1", kind: "Namespace" }, namespaced: false, optional: true },
  {
    key: "runtimeClasses",
    type: { apiVersion: "node.k8s.io/v1", kind: "RuntimeClass" },
    namespaced: false,
    optional: true,
  },
  {
    key: "csiDrivers",
    type: { apiVersion: "storage.k8s.io/v1", kind: "CSIDriver" },
    namespaced: false,
    optional: true,
  },
  {
    key: "secretNames",
    type: { apiVersion: "v1", kind: "Secret" },
    namespaced: true,
    optional: true,
    metadataOnly: true,
    collectOnly: true,
  },
  {
    key: "ipPools",
    type: { apiVersion: "crd.projectcalico.org/v1", kind: "IPPool" },
    namespaced: false,
    optional: true,
  },
];
