import { NODE_CIDR_MASK, POD_CIDR, REGION, type NodeSpec } from "../topology.ts";

/** Worker i's pod CIDR: the one the controller manager's allocator gives the i-th node (10.244.i.0/24). */
export function podCIDRFor(index: number): string {
  const [a, b] = POD_CIDR.split(".");
  return `${a}.${b}.${index}.0/${NODE_CIDR_MASK}`;
}

/**
 * The Node object, created before its kubelet starts so that its labels (including the
 * role label a kubelet may not set on itself) and pod CIDR are known up front.
 */
export function realNodeObject(n: NodeSpec, index: number): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      labels: {
        "kubernetes.io/hostname": n.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "node-role.kubernetes.io/worker": "",
        "topology.kubernetes.io/zone": n.zone,
        "topology.kubernetes.io/region": REGION,
        type: "real",
      },
    },
    spec: { podCIDR: podCIDRFor(index), podCIDRs: [podCIDRFor(index)] },
  };
}
