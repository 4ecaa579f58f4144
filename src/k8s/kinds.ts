import type { ResourceType } from "./types.ts";

/**
 * Kinds kubedrill knows without asking the API server: the default apiVersion for a
 * kind written without one in a scenario, and whether it is namespaced.
 */
interface KnownKind extends ResourceType {
  namespaced: boolean;
  /** Lower-case plural, as in the REST path. */
  plural: string;
}

const KINDS: KnownKind[] = [
  { apiVersion: "v1", kind: "Namespace", namespaced: false, plural: "namespaces" },
  { apiVersion: "v1", kind: "Node", namespaced: false, plural: "nodes" },
  { apiVersion: "v1", kind: "Pod", namespaced: true, plural: "pods" },
  { apiVersion: "v1", kind: "Service", namespaced: true, plural: "services" },
  { apiVersion: "v1", kind: "ConfigMap", namespaced: true, plural: "configmaps" },
  { apiVersion: "v1", kind: "Secret", namespaced: true, plural: "secrets" },
  { apiVersion: "v1", kind: "Event", namespaced: true, plural: "events" },
  { apiVersion: "v1", kind: "ResourceQuota", namespaced: true, plural: "resourcequotas" },
  { apiVersion: "v1", kind: "LimitRange", namespaced: true, plural: "limitranges" },
  { apiVersion: "v1", kind: "PersistentVolumeClaim", namespaced: true, plural: "persistentvolumeclaims" },
  { apiVersion: "v1", kind: "PersistentVolume", namespaced: false, plural: "persistentvolumes" },
  { apiVersion: "v1", kind: "ServiceAccount", namespaced: true, plural: "serviceaccounts" },
  { apiVersion: "v1", kind: "Endpoints", namespaced: true, plural: "endpoints" },
  { apiVersion: "apps/v1", kind: "Deployment", namespaced: true, plural: "deployments" },
  { apiVersion: "apps/v1", kind: "ReplicaSet", namespaced: true, plural: "replicasets" },
  { apiVersion: "apps/v1", kind: "StatefulSet", namespaced: true, plural: "statefulsets" },
  { apiVersion: "apps/v1", kind: "DaemonSet", namespaced: true, plural: "daemonsets" },
  { apiVersion: "batch/v1", kind: "Job", namespaced: true, plural: "jobs" },
  { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", namespaced: true, plural: "endpointslices" },
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress", namespaced: true, plural: "ingresses" },
  { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", namespaced: false, plural: "ingressclasses" },
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespaced: true, plural: "networkpolicies" },
  { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", namespaced: false, plural: "storageclasses" },
  { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", namespaced: false, plural: "priorityclasses" },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget", namespaced: true, plural: "poddisruptionbudgets" },
  { apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespaced: true, plural: "leases" },
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    namespaced: false,
    plural: "customresourcedefinitions",
  },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", namespaced: true, plural: "roles" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", namespaced: true, plural: "rolebindings" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespaced: false, plural: "clusterroles" },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    namespaced: false,
    plural: "clusterrolebindings",
  },
  { apiVersion: "crd.projectcalico.org/v1", kind: "IPPool", namespaced: false, plural: "ippools" },
];

export function knownKind(kind: string, apiVersion?: string): KnownKind | undefined {
  return KINDS.find((k) => k.kind === kind && (apiVersion === undefined || k.apiVersion === apiVersion));
}

export function knownKinds(): readonly KnownKind[] {
  return KINDS;
}
