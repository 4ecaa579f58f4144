import type { FidelityProvider } from "../sdk/plugin.ts";

/**
 * What a scenario can require of the cluster besides nodes (`spec.requires.capabilities`):
 * the one table of them, each with what it means and which provider has it. A started
 * cluster says which it has (Capabilities in provider.ts); an attempt of a scenario that
 * needs one the cluster lacks is skipped before anything is created (src/engine/skip.ts).
 * `docs/reference.md` and the scenario schema are generated from this table.
 */
export const CAPABILITY_NAMES = ["realDataPlane", "authRegistry", "nodeEgressFirewall", "clusterDNS"] as const;

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
  authRegistry: {
    means: "an image registry that requires credentials, which the nodes pull from",
    on: {
      local: {
        has: "yes",
        how: "registry.kubedrill.local, the cluster's second registry, asks for HTTP basic credentials",
      },
      kwok: { has: "no", how: "kwok nodes pull no images" },
      kind: { has: "no", how: "kubedrill runs no registry that requires credentials for kind" },
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
      kind: { has: "no", how: "kubedrill changes no firewall in kind's node containers" },
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
