import type { Logger } from "../util/log.ts";
import type { DataPlane } from "../dataplane/types.ts";
import type { Revertible } from "../sdk/revertible.ts";
import type { CapabilityName } from "./capabilities.ts";

/**
 * A way to get a cluster. Like testcontainers' runtime strategies: each either says
 * why it does not apply here or gives a working cluster; `auto` takes the first that works.
 */
export interface ClusterProvider {
  readonly name: ProviderName;
  /** Cheap check, no side effects: can this provider work on this machine? */
  applicable(): Promise<Applicability>;
  /** Starts (or reuses) a cluster and returns when every node is Ready. */
  start(opts: StartOptions): Promise<StartedCluster>;
}

export type ProviderName = "local" | "kind" | "k3s" | "kubeconfig";

export type Applicability = { ok: true; detail?: string } | { ok: false; reason: string };

export interface StartOptions {
  /** Cluster name; several can run side by side. */
  name: string;
  log: Logger;
  signal?: AbortSignal;
}

/**
 * What a cluster can really do: so that scenarios can mark modelled signals as simulated,
 * and so that an attempt needing what the cluster lacks (spec.requires.capabilities) is
 * skipped rather than failed. Each named capability is true when the cluster has it; absent
 * or false when it has not, or when the provider cannot tell (capabilities.ts says which
 * provider has which).
 */
export interface Capabilities extends Partial<Record<CapabilityName, boolean>> {
  /** A dynamic volume provisioner is running (StorageClass that provisions). */
  dynamicProvisioner?: string;
  /** Which cluster of the provider's, in messages (`local/kwok`): `kwok` or `real` nodes. */
  nodes?: "kwok" | "real";
  /**
   * An image registry of the cluster's own that requires credentials, for scenarios about
   * pull Secrets: the host images name (`${authRegistry}` in a scenario; capability authRegistry), an image only it
   * holds, and drill-only credentials that the `pullSecret` step writes into a Secret. They
   * are never printed.
   */
  registry?: AuthRegistry;
}

export interface AuthRegistry {
  host: string;
  /** An image only this registry holds. */
  image: string;
  user: string;
  password: string;
}

/** Provider-specific fault actions the scenarios use. */
export interface ProviderActions {
  /** Makes these nodes' kubelets stop heartbeating (a real outage); revert brings them back. */
  stopNodes(nodeNames: string[]): Promise<Revertible>;
  /**
   * Fills a node's disk (kind: a bounded filler pod; local: a modelled kubelet that
   * reports DiskPressure, marked simulated). Revert frees the space.
   */
  fillDisk(nodeName: string): Promise<Revertible & { simulated: boolean }>;
  /** Frees disk space the way kubelet image GC would (remediation of fillDisk). */
  collectImageGarbage(nodeName: string): Promise<void>;
  /**
   * Cuts these nodes' own path to the image registry with a firewall rule on the node (the
   * pulls come from the node's runtime, not from a pod); revert removes it. Absent where the
   * provider has no way to do it.
   */
  blockRegistry?(nodeNames: string[]): Promise<Revertible>;
  /** Removes the rule blockRegistry applied to these nodes (a remediation); a node without it is fine. */
  unblockRegistry?(nodeNames: string[]): Promise<void>;
  /**
   * Stops the cluster's DNS (its CoreDNS scaled to 0) on a cluster the provider created;
   * revert brings it back. Absent where kubedrill does not own the cluster's add-ons.
   */
  stopClusterDNS?(): Promise<Revertible>;
  /** Brings the DNS stopClusterDNS stopped back to its replicas (a remediation); idempotent. */
  startClusterDNS?(): Promise<void>;
}

export interface StartedCluster extends AsyncDisposable {
  readonly provider: ProviderName;
  readonly name: string;
  readonly kubeconfigPath: string;
  /** The context every client must pass explicitly (an existing cluster's allowed context). */
  readonly context?: string;
  readonly capabilities: Capabilities;
  readonly actions: ProviderActions;
  /** Pod and Service CIDRs the cluster was configured with, when the provider knows them. */
  readonly network: { podCIDR?: string; serviceCIDR?: string };
  /**
   * Pod-to-Service and Ingress routing checks: real probes where the cluster has a data
   * plane, a model of one (answers marked simulated) where it has none.
   */
  readonly dataPlane?: DataPlane;
  /** Stops what this process started (a reused cluster is left running). Idempotent. */
  stop(): Promise<void>;
}
