/**
 * The embedded default cluster's shape. kind-config.yaml states the same intent for kind:
 * six workers in three zones, the same pod and service CIDRs.
 */
export const POD_CIDR = "10.244.0.0/16";
export const NODE_CIDR_MASK = 24;
export const SERVICE_CIDR = "10.96.0.0/16";
export const REGION = "region-1";

/**
 * Node liveness timings, reduced from Kubernetes' defaults (lease 40s, grace 50s) so a
 * lost node is noticed in seconds: kwok renews each node's Lease every
 * LEASE_DURATION_S/4 = 2s; the node-lifecycle controller checks every
 * NODE_MONITOR_PERIOD_S and marks a node Unknown (and taints it unreachable) once its
 * lease is NODE_MONITOR_GRACE_S old.
 */
export const LEASE_DURATION_S = 8;
export const NODE_MONITOR_PERIOD_S = 1;
export const NODE_MONITOR_GRACE_S = 8;

export interface NodeSpec {
  name: string;
  zone: string;
  internalIP: string;
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
}

export const ZONES = ["zone-a", "zone-b", "zone-c"] as const;

/** kind-style names: worker, worker2, ... worker6; two per zone. */
export function defaultNodes(): NodeSpec[] {
  return Array.from({ length: 6 }, (_, i) => ({
    name: i === 0 ? "worker" : `worker${i + 1}`,
    zone: ZONES[Math.floor(i / 2)]!,
    internalIP: `172.18.0.${i + 3}`,
    cpu: "4",
    memory: "8Gi",
    pods: "110",
    ephemeralStorage: "100Gi",
  }));
}

/** The annotation kwok is told to manage nodes by; removing it stops the node's "kubelet". */
export const KWOK_MANAGE_ANNOTATION = "kwok.x-k8s.io/node";
export const KWOK_MANAGE_VALUE = "fake";

export function nodeObject(n: NodeSpec): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      annotations: { [KWOK_MANAGE_ANNOTATION]: KWOK_MANAGE_VALUE, "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": n.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "node-role.kubernetes.io/worker": "",
        "topology.kubernetes.io/zone": n.zone,
        "topology.kubernetes.io/region": REGION,
        type: "kwok",
      },
    },
    spec: {},
    status: {
      capacity: { cpu: n.cpu, memory: n.memory, pods: n.pods, "ephemeral-storage": n.ephemeralStorage },
      allocatable: { cpu: n.cpu, memory: n.memory, pods: n.pods, "ephemeral-storage": n.ephemeralStorage },
      addresses: [
        { type: "InternalIP", address: n.internalIP },
        { type: "Hostname", address: n.name },
      ],
    },
  };
}
