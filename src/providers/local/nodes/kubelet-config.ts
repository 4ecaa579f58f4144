import { LEASE_DURATION_S } from "../topology.ts";
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from "./dns-objects.ts";

export interface KubeletInputs {
  nodeIP: string;
  caCert: string;
  socket: string;
  cgroupRoot: string;
  /** The host's memory in bytes (os.totalmem()), which the kubelet reports as capacity. */
  hostMemory: number;
  /** The memory the topology gives a node ("8Gi"). */
  nodeMemory: string;
}

const GI = 1024 ** 3;

/**
 * Memory to reserve so that allocatable is the topology's: every node sees all of the host's
 * memory, and scheduling decisions (a 16Gi pod that fits nowhere) must match the topology.
 */
export function reservedMemory(hostMemory: number, nodeMemory: string): number {
  const m = /^(\d+)Gi$/.exec(nodeMemory);
  const want = m ? Number(m[1]) * GI : hostMemory;
  return Math.max(0, Math.floor((hostMemory - want) / (1024 * 1024))) * 1024 * 1024;
}

/**
 * A node's kubelet: cgroupfs driver under its own cgroupRoot (made beforehand in every
 * hierarchy), cgroup v1 allowed, x509 + webhook authentication, serving only on the
 * node's address. Memory
 * above the topology's is reserved for the system, so allocatable memory is the topology's.
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
    systemReserved: { memory: String(reservedMemory(i.hostMemory, i.nodeMemory)) },
    // each node has a 1 GiB disk of its own (disk.ts): under 10% free is disk pressure
    evictionHard: { "memory.available": "50Mi", "nodefs.available": "10%", "imagefs.available": "10%" },
    evictionPressureTransitionPeriod: "10s",
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    localStorageCapacityIsolation: true,
    maxPods: 110,
  };
  return JSON.stringify(cfg, null, 2);
}
