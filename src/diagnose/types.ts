import type { KObject } from "../k8s/types.ts";

/**
 * The diagnose contract. Analysers are pure functions of a snapshot of cluster state
 * (no API calls), so they run the same on the local control plane, kind, a real cluster
 * and recorded fixtures, and the runner can re-run them on every watch event.
 */
export type FindingCode =
  | "InsufficientResources"
  | "QuotaExceeded"
  | "AffinityUnsatisfiable"
  | "NodeNotReady"
  | "PVCUnbound"
  | "IPPoolOverlap"
  | "IngressConflict"
  | "NodeDiskPressure"
  | "NodeMemoryPressure"
  | "NodePIDPressure"
  | "ServiceNoEndpoints"
  | "NetworkPolicyIsolation"
  | "ImagePullFailure"
  | "CrashLoop"
  | "IngressBackendMissing"
  | "IngressClassMissing"
  | "IngressTLSSecretMissing"
  | "UntoleratedTaint"
  | "SchedulingGated"
  | "ReadinessProbeFailing"
  | "PodEvicted"
  | "SandboxCreationFailed"
  | "ContainerConfigError"
  | "ContainerFailed"
  | "OOMKilled"
  | "ServicePartlyReady"
  | "ServiceTargetPortMismatch"
  | "PVCLost"
  | "StatefulSetServiceMissing"
  | "PodCreateRejected"
  | "JobFailed"
  | "NetworkPolicyNoMatch"
  | "NetworkPolicyEgressDenied"
  | "NodeProblem"
  | "PodStuckOnLostNode"
  | "ClusterDNSUnavailable";

export type Severity = "critical" | "warning" | "info";

export interface FindingObject {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  object: FindingObject;
  /** One line naming the cause: `quota "compute" in shop: requests.cpu 2/2 used, creating pod needs 500m`. */
  message: string;
  /** The event/condition texts the finding is based on, verbatim. */
  evidence: string[];
  /** What to do about it, from the failure catalogue. */
  remedy: string;
}

/**
 * Cluster state for the analysers. Lists hold plain API JSON. A list that could not be
 * read (RBAC, CRD not installed) is empty. `namespace` narrows namespaced lists.
 */
export interface ClusterSnapshot {
  namespace?: string;
  nodes: KObject[];
  pods: KObject[];
  events: KObject[];
  services: KObject[];
  endpointSlices: KObject[];
  deployments: KObject[];
  replicaSets: KObject[];
  statefulSets: KObject[];
  resourceQuotas: KObject[];
  persistentVolumeClaims: KObject[];
  persistentVolumes: KObject[];
  storageClasses: KObject[];
  ingresses: KObject[];
  ingressClasses: KObject[];
  networkPolicies: KObject[];
  jobs: KObject[];
  namespaces: KObject[];
  runtimeClasses: KObject[];
  csiDrivers: KObject[];
  /** Secrets as metadata only (name, namespace, labels): never their data. */
  secretNames: KObject[];
  /** crd.projectcalico.org/v1 IPPool objects. */
  ipPools: KObject[];
  /**
   * Lists that could not be read (404/403, or not collected by this reader): an empty list
   * there means "unknown", so analysers that would report a missing object stay silent.
   */
  unreadable?: string[];
  /** Cluster network ranges, when known (provider config, kubeadm-config, flags). */
  network: { serviceCIDR?: string; podCIDR?: string };
}

export interface Analyser {
  /** The codes this analyser can emit. */
  readonly codes: readonly FindingCode[];
  analyse(snapshot: ClusterSnapshot): Finding[];
}
