import { LEASE_DURATION_S } from "../topology.ts";
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from "./dns-objects.ts";

export interface KubeletInputs {
  nodeIP: string;
  caCert: string;
  socket: string;
  cgroupRoot: string;
}

/**
 * A node's kubelet: cgroupfs driver under its own cgroupRoot (made beforehand in every
 * hierarchy), cgroup v1 allowed, x509 + webhook authentication, serving only on the
 * node's address. Eviction thresholds are low: the nodes share the host's disk.
 */
export function kubeletConfig(i: KubeletInputs): string {
  const cfg = {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    failCgroupV1: false,
    cgroupDriver: "cgroupfs",
    cgroupRoot: i.cgroupRoot,
    cgroupsPerQOS: true,
    containerRuntimeEndpoint: `unix://${i.socket}`,
    address: i.nodeIP,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: 10248,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: i.caCert },
    },
    authorization: { mode: "Webhook" },
    clusterDomain: CLUSTER_DOMAIN,
    clusterDNS: [CLUSTER_DNS_IP],
    failSwapOn: false,
    protectKernelDefaults: false,
    serializeImagePulls: false,
    nodeLeaseDurationSeconds: LEASE_DURATION_S,
    nodeStatusReportFrequency: "10s",
    evictionHard: { "memory.available": "50Mi", "nodefs.available": "1%", "imagefs.available": "1%" },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    localStorageCapacityIsolation: true,
    maxPods: 110,
  };
  return JSON.stringify(cfg, null, 2);
}
