import { UsageError } from "../../errors.ts";

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

/**
 * Scale mode (`--workers N`): N kwok nodes over the same three zones, balanced (sizes differ
 * by at most one), named worker, worker2, ... workerN in zone order as defaultNodes() names
 * six. The controller manager gives each node a /24 of POD_CIDR (256 nodes), or a /25 (512
 * nodes: 126 addresses, still more than a node's 110 pods); more nodes do not fit.
 */
export const MAX_WORKERS = 512;
const MAX_PODS_PER_NODE = 110;

/** The per-node pod CIDR mask for `workers` nodes (NODE_CIDR_MASK for the default six). */
export function nodeCidrMask(workers?: number): number {
  const n = workers ?? 6;
  checkWorkers(n);
  let mask = NODE_CIDR_MASK;
  while (2 ** (mask - 16) < n) mask++;
  return mask;
}

/** Throws (naming the limit and why) unless `n` is a node count the ranges allow. */
export function checkWorkers(n: number): void {
  if (!Number.isInteger(n) || n < ZONES.length || n > MAX_WORKERS)
    throw new UsageError(
      `--workers must be a whole number from ${ZONES.length} (a node in each zone) to ${MAX_WORKERS} (got ${n}): the pod range ${POD_CIDR} holds ${MAX_WORKERS} node ranges of /25, the smallest that holds a node's ${MAX_PODS_PER_NODE} pods`,
    );
}

/** Refuses --workers where it has no meaning (real nodes) or a count the ranges cannot hold. */
export function checkScaleOptions(o: { nodes?: string; workers?: number }): void {
  if (o.workers === undefined) return;
  if (o.nodes === "real")
    throw new UsageError(
      `--workers ${o.workers} is for kwok nodes: real nodes are the six of the default topology (use --nodes kwok)`,
    );
  checkWorkers(o.workers);
}

export function scaledNodes(workers: number): NodeSpec[] {
  checkWorkers(workers);
  return Array.from({ length: workers }, (_, i) => ({
    name: i === 0 ? "worker" : `worker${i + 1}`,
    zone: ZONES[Math.floor((i * ZONES.length) / workers)]!,
    internalIP: `172.18.${(i + 3) >> 8}.${(i + 3) & 255}`,
    cpu: "4",
    memory: "8Gi",
    pods: String(MAX_PODS_PER_NODE),
    ephemeralStorage: "100Gi",
  }));
}

/** The nodes of a cluster: the default six, or `workers` in scale mode. */
export function clusterNodes(workers?: number): NodeSpec[] {
  return workers === undefined ? defaultNodes() : scaledNodes(workers);
}

/**
 * Scale mode: each zone's kwok process manages the nodes whose KWOK_GROUP_LABEL is the
 * zone's name (a label, not an annotation: kwok selects labels in its watch, so a node
 * relabelled out of the selection leaves the process's care and its Lease goes stale).
 * KWOK_GROUP_STOPPED is a value no process selects: a node stopped on its own.
 */
export const KWOK_GROUP_LABEL = "kubedrill.io/kwok-group";
export const KWOK_GROUP_STOPPED = "stopped";

/** The annotation kwok is told to manage nodes by; removing it stops the node's "kubelet". */
export const KWOK_MANAGE_ANNOTATION = "kwok.x-k8s.io/node";
export const KWOK_MANAGE_VALUE = "fake";

/** The Node object; `group`: the label value its kwok process selects (scale mode). */
export function nodeObject(n: NodeSpec, group?: string): Record<string, unknown> {
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
        ...(group ? { [KWOK_GROUP_LABEL]: group } : {}),
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
