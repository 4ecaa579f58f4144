import { parse } from "yaml";
import type { Kube } from "../../k8s/kube.ts";
import type { Logger } from "../../util/log.ts";
import type { Capabilities, StartedCluster } from "../provider.ts";

/**
 * What an existing cluster can do, asked through the API: the default StorageClass names
 * the provisioner. A check that is forbidden (least-privilege RBAC) or fails leaves the
 * safe answer.
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
