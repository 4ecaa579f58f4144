import { parse } from "yaml";
import type { Kube } from "../../k8s/kube.ts";
import type { Logger } from "../../util/log.ts";
import type { Capabilities, StartedCluster } from "../provider.ts";

/** Nodes whose "kubelet" is kwok's: it manages those carrying this annotation (kwokctl's default). */
const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

/**
 * What an existing cluster can do, asked through the API: the default StorageClass names
 * the provisioner; the cluster has a real data plane when the Nodes can be listed and none
 * is a kwok node; it has cluster DNS when it has a real data plane and the Service
 * kube-system/kube-dns (CoreDNS and kube-dns both serve behind that name). It cannot know
 * the rest of src/providers/capabilities.ts (a registry that requires credentials, a node
 * firewall kubedrill may change): those stay absent. A check that is forbidden
 * (least-privilege RBAC) or fails leaves the safe answer, "no": the scenarios that need it
 * are skipped, not failed.
 */
export async function discoverCapabilities(kube: Kube, log: Logger): Promise<Capabilities> {
  const caps: Capabilities = {};
  try {
    const { items } = await kube.list({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass" });
    const isDefault = (a?: Record<string, string>) => a?.["storageclass.kubernetes.io/is-default-class"] === "true";
    const chosen = items.find((sc) => isDefault(sc.metadata.annotations)) ?? items[0];
    if (chosen && typeof chosen.provisioner === "string" && chosen.provisioner !== "kubernetes.io/no-provisioner") {
      caps.dynamicProvisioner = chosen.provisioner;
    }
  } catch (err) {
    log.debug(`cannot list StorageClasses: ${(err as Error).message}`);
  }
  try {
    const { items } = await kube.list({ apiVersion: "v1", kind: "Node" });
    const kwok = items.filter((n) => n.metadata.annotations?.[KWOK_NODE_ANNOTATION] !== undefined);
    caps.nodes = kwok.length > 0 ? "kwok" : "real";
    if (kwok.length === 0 && items.length > 0) caps.realDataPlane = true;
    else log.debug(`no real data plane: ${kwok.length} of ${items.length} node(s) are kwok's`);
  } catch (err) {
    log.debug(`cannot list Nodes (no real data plane assumed): ${(err as Error).message}`);
  }
  if (caps.realDataPlane) {
    try {
      const dns = await kube.get({ apiVersion: "v1", kind: "Service", name: "kube-dns", namespace: "kube-system" });
      if (dns) caps.clusterDNS = true;
    } catch (err) {
      log.debug(`cannot read the Service kube-system/kube-dns (no cluster DNS assumed): ${(err as Error).message}`);
    }
  }
  return caps;
}

/** Pod and Service CIDRs from kubeadm's ClusterConfiguration, when the cluster was built by kubeadm. */
export async function discoverNetwork(kube: Kube, log: Logger): Promise<StartedCluster["network"]> {
  try {
    const cm = await kube.get({
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "kubeadm-config",
      namespace: "kube-system",
    });
    const text = (cm?.data as Record<string, string> | undefined)?.ClusterConfiguration;
    if (!text) return {};
    const networking =
      ((parse(text) ?? {}) as { networking?: { podSubnet?: unknown; serviceSubnet?: unknown } }).networking ?? {};
    return {
      podCIDR: typeof networking.podSubnet === "string" ? networking.podSubnet : undefined,
      serviceCIDR: typeof networking.serviceSubnet === "string" ? networking.serviceSubnet : undefined,
    };
  } catch (err) {
    log.debug(`cannot read kube-system/kubeadm-config for the cluster CIDRs: ${(err as Error).message}`);
    return {};
  }
}
