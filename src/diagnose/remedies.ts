import { NETWORK_REMEDIES } from "./remedies/network.ts";
import { POD_REMEDIES } from "./remedies/pods.ts";

/**
 * Remedy texts, from the failure catalogue (docs/failures.md): what the article
 * says fixes each cause. Analysers pick the entry that matches the cause they found.
 */
export const REMEDIES = {
  InsufficientResources:
    "right-size the pod's requests to what a node can offer (the catalogue's pod asked for 8 CPU / 16 GiB with 6 CPU / 12 GiB free), add nodes, set ResourceQuota hard limits and a LimitRange so no pod asks for more than a node holds, and give core services a PriorityClass",
  QuotaExceeded:
    "set ResourceQuota hard limits that match real demand (e.g. requests.cpu=2, limits.memory=4Gi), right-size requests with a LimitRange, give core services a PriorityClass",
  AffinityUnsatisfiable:
    "switch the required node affinity to preferredDuringSchedulingIgnoredDuringExecution, spread replicas over zones with topologySpreadConstraints, and keep node labels (topology.kubernetes.io/zone) in sync automatically",
  NodeNotReady:
    "bring the node back (kubelet, network, end of maintenance) or replace it; until then drain it, and spread workloads over zones with topologySpreadConstraints and preferred (not required) zone affinity",
  PVCUnbound: {
    missingClass:
      "create the StorageClass the claim names (or fix spec.storageClassName) so volumes are provisioned dynamically; snapshot critical volumes",
    noProvisioner:
      "use a StorageClass with a dynamic provisioner, or pre-create a PersistentVolume that matches the claim's class, size and access modes",
    accessModes:
      "make the claim's accessModes match what the volumes offer (or provision a volume with the requested mode through a StorageClass)",
    capacity: "request no more than the available volumes hold, or provision a larger volume through a StorageClass",
    noVolume:
      "provision volumes dynamically through a StorageClass (set spec.storageClassName or a default StorageClass) instead of pre-creating them; snapshot critical volumes",
    provisioningFailed:
      "fix the provisioner error shown in the evidence (credentials, parameters, capacity) or use a StorageClass whose provisioner works",
    provisionerMissing:
      "install and start the provisioner the StorageClass names (its CSI driver or external-provisioner), or use a StorageClass whose provisioner runs in the cluster",
    waitForConsumer:
      "nothing to do until a pod uses the claim: the class binds volumes when the first consumer is scheduled (volumeBindingMode WaitForFirstConsumer)",
  },
  IPPoolOverlap:
    "create a non-overlapping Calico IPPool inside the cluster pod CIDR, move workloads onto it (disable the old pool, restart the pods), then delete the old pool",
  IngressConflict:
    "give each environment its own IngressClass, isolate rules by host, and use path rewrites (nginx.ingress.kubernetes.io/rewrite-target) instead of claiming the same path twice",
  NodeDiskPressure:
    "free disk on the node: let kubelet image garbage collection start earlier (imageGCHighThresholdPercent / imageGCLowThresholdPercent), prune unused images and containers, move logs and emptyDir data off the root disk, or grow the disk",
  NodeMemoryPressure:
    "set memory requests and limits that match real use, move pods off the node or add memory/nodes; kubelet evicts pods until the pressure clears",
  NodePIDPressure:
    "find the process leak, cap processes per pod (kubelet podPidsLimit), move pods off the node, and raise kernel.pid_max only if the load is legitimate",
  ServiceNoEndpoints:
    "make the Service selector match the pods' labels and fix whatever keeps the matching pods from becoming Ready (readiness probe, crash, pending); check the Ingress points at the right Service",
  NetworkPolicyIsolation:
    "relax the NetworkPolicy first to restore service (admit the calling namespaces with a namespaceSelector, or the ingress controller's namespace), then tighten it again rule by rule",
  ImagePullFailure: {
    invalidName:
      "fix the image reference in the pod template: registry/repository:tag or @sha256:digest, lower-case repository, no spaces or stray characters",
    neverPull:
      "the pull policy is Never and the image is not on the node: pre-load it on every node that may run the pod, or set imagePullPolicy to IfNotPresent",
    auth: "create a registry pull Secret with valid credentials and reference it in spec.imagePullSecrets (or the ServiceAccount's imagePullSecrets)",
    notFound: "fix the image name or tag (the registry has no such manifest), or push the image",
    noSpace:
      "free disk on the node: let kubelet image garbage collection run (imageGCHighThresholdPercent / imageGCLowThresholdPercent), prune unused images, or grow the disk",
    network:
      "let the node reach the registry: egress NetworkPolicy / firewall / proxy / DNS for the registry host, or use a mirror inside the network",
    other:
      "read the pull error in the evidence; check the image reference, the registry's availability and the pull Secret",
  },
  CrashLoop: {
    missingBinary:
      "rebuild the image so the entrypoint and its shared libraries exist: multi-stage builds, a glibc base (Ubuntu/Debian) or distroless instead of Alpine/musl for glibc binaries",
    notExecutable: "make the entrypoint executable (chmod +x in the image) and check the command path",
    oom: "raise the memory limit to real use (requests/limits), or reduce the application's memory use",
    segfault:
      "the binary crashes at start: check architecture and libc compatibility of the image (glibc base or distroless instead of Alpine/musl), and the application's native dependencies",
    app: "read the previous container's logs (kubectl logs --previous); move start parameters into a ConfigMap, set sane defaults (e.g. --max-workers), add liveness/readiness probes and requests/limits",
    signal:
      "the container was killed from outside: check liveness probe settings, node pressure evictions and preStop/termination handling",
  },
  ...POD_REMEDIES,
  ...NETWORK_REMEDIES,
} as const;
