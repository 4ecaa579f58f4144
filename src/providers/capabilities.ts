import type { FidelityProvider } from "../sdk/plugin.ts";

/**
 * What a scenario can require of the cluster besides nodes (`spec.requires.capabilities`):
 * the one table of them, each with what it means and which provider has it. A started
 * cluster says which it has (Capabilities in provider.ts); an attempt of a scenario that
 * needs one the cluster lacks is skipped before anything is created (src/engine/skip.ts).
 * `docs/reference.md` and the scenario schema are generated from this table.
 */
export const CAPABILITY_NAMES = [
  "realDataPlane",
  "kubedrillImages",
  "authRegistry",
  "nodeEgressFirewall",
  "clusterDNS",
  "nodeDisk",
] as const;

export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

/** Whether a provider has it: yes, no, or as found in the cluster when the provider starts. */
export type Availability = "yes" | "no" | "discovered";

export interface CapabilityDefinition {
  /** A noun phrase for messages: `an image registry that requires credentials`. */
  means: string;
  /**
   * Per provider (`local` with real nodes, `kwok` the local cluster with kwok nodes): whether,
   * and how (for `discovered`: when the provider finds it, as a `when ...` clause).
   */
  on: Record<FidelityProvider, { has: Availability; how: string }>;
}

export const CAPABILITIES: Record<CapabilityName, CapabilityDefinition> = {
  realDataPlane: {
    means: "a data plane where pods really run and send traffic through a real network and kube-proxy",
    on: {
      local: { has: "yes", how: "real nodes run containerd, a CNI, kube-proxy and an Ingress controller" },
      kwok: { has: "no", how: "kwok nodes run no containers; the data plane is a model (answers marked simulated)" },
      kind: { has: "yes", how: "its nodes run containerd, a CNI (kindnet or calico) and kube-proxy" },
      k3s: { has: "yes", how: "k3s runs containerd, flannel and kube-proxy" },
      kubeconfig: {
        has: "discovered",
        how: "when the Nodes can be listed and none is a kwok node (annotation kwok.x-k8s.io/node)",
      },
    },
  },
  kubedrillImages: {
    means: "a registry the nodes pull kubedrill's own images from (kubedrill.local/app, kubedrill.local/transcoder)",
    on: {
      local: {
        has: "yes",
        how: "real nodes pull them from the cluster's registry, which kubedrill fills at `cluster up`",
      },
      kwok: { has: "no", how: "kwok nodes pull no images" },
      kind: {
        has: "discovered",
        how: "when kubedrill could build its images (Go on PATH) and start its registry containers on the kind network",
      },
      k3s: { has: "no", how: "kubedrill runs no registry for k3s" },
      kubeconfig: { has: "no", how: "kubedrill does not push images into an existing cluster's registries" },
    },
  },
  authRegistry: {
    means: "an image registry that requires credentials, which the nodes pull from",
    on: {
      local: {
        has: "yes",
        how: "registry.kubedrill.local, the cluster's second registry, asks for HTTP basic credentials",
      },
      kwok: { has: "no", how: "kwok nodes pull no images" },
      kind: {
        has: "discovered",
        how: "when kubedrill could start its registry containers: the second one asks for HTTP basic credentials",
      },
      k3s: { has: "no", how: "kubedrill runs no registry that requires credentials for k3s" },
      kubeconfig: {
        has: "no",
        how: "kubedrill cannot know an existing cluster's registries or hold their credentials",
      },
    },
  },
  nodeEgressFirewall: {
    means: "a firewall on the nodes' own traffic that kubedrill can change, to cut their path to a registry",
    on: {
      local: { has: "yes", how: "each real node has its network namespace, where kubedrill applies nftables rules" },
      kwok: { has: "no", how: "kwok nodes have no network of their own" },
      kind: {
        has: "discovered",
        how: "when kubedrill runs the registries: an iptables chain in each node container drops its packets to them",
      },
      k3s: { has: "no", how: "kubedrill changes no firewall in the k3s container" },
      kubeconfig: { has: "no", how: "kubedrill does not reach an existing cluster's nodes" },
    },
  },
  clusterDNS: {
    means: "a cluster DNS server that answers for Services (CoreDNS behind the kube-dns Service)",
    on: {
      local: { has: "yes", how: "real nodes run CoreDNS in kube-system behind the kube-dns Service" },
      kwok: { has: "no", how: "no DNS server runs (kwok nodes run no containers)" },
      kind: { has: "yes", how: "kind deploys CoreDNS" },
      k3s: { has: "yes", how: "k3s deploys CoreDNS" },
      kubeconfig: {
        has: "discovered",
        how: "when the Service kube-system/kube-dns exists and the cluster has a real data plane",
      },
    },
  },
  nodeDisk: {
    means: "a disk of each node's own that fillDisk fills to the last block, so writes on it fail (no space left)",
    on: {
      local: { has: "yes", how: "each real node's /var/lib is a 1 GiB ext4 of its own" },
      kwok: { has: "no", how: "kwok nodes have no disk; DiskPressure is modelled" },
      kind: {
        has: "no",
        how: "kind's nodes share the host's filesystem, and the filler pod stops short of full (5% free)",
      },
      k3s: { has: "no", how: "the k3s node shares the host's filesystem" },
      kubeconfig: { has: "no", how: "kubedrill does not fill an existing cluster's disks to the last block" },
    },
  },
};

export function isCapabilityName(name: string): name is CapabilityName {
  return (CAPABILITY_NAMES as readonly string[]).includes(name);
}

const PROVIDER_LABEL: Record<FidelityProvider, string> = {
  local: "local real nodes",
  kwok: "local kwok nodes",
  kind: "kind",
  k3s: "k3s",
  kubeconfig: "an existing cluster",
};

/** Where it is found: `local real nodes, kind, k3s, an existing cluster when found there`. */
export function providedBy(name: CapabilityName): string {
  const on = Object.entries(CAPABILITIES[name].on) as [FidelityProvider, { has: Availability }][];
  const where = on
    .filter(([, o]) => o.has !== "no")
    .map(([p, o]) => `${PROVIDER_LABEL[p]}${o.has === "discovered" ? " when found there" : ""}`);
  return where.join(", ") || "no provider";
}

/** `authRegistry (an image registry that requires credentials: local real nodes)`. */
export function describeNeed(name: CapabilityName): string {
  return `${name} (${CAPABILITIES[name].means}: ${providedBy(name)})`;
}
