import { parse as parseYaml } from "yaml";
import type { Kube } from "../k8s/kube.ts";
import type { KObject } from "../k8s/types.ts";
import { isMissingOrForbidden } from "./util/api-errors.ts";

/**
 * Best-effort discovery of the cluster's service and pod CIDRs, read-only:
 * 1. ServiceCIDR objects (networking.k8s.io/v1, Kubernetes 1.33+): spec.cidrs;
 * 2. the kubeadm-config ConfigMap (kube-system): ClusterConfiguration networking.serviceSubnet / podSubnet;
 * 3. the kube-proxy ConfigMap (kube-system): config.conf clusterCIDR.
 * Anything missing or forbidden is skipped; nothing found means {}.
 */
interface NetworkRanges {
  serviceCIDR?: string;
  podCIDR?: string;
}

async function tryGet(kube: Kube, name: string): Promise<KObject | undefined> {
  try {
    return await kube.get({ apiVersion: "v1", kind: "ConfigMap", name, namespace: "kube-system" });
  } catch (err) {
    if (isMissingOrForbidden(err)) return undefined;
    throw err;
  }
}

function yamlField(text: unknown, path: string[]): string | undefined {
  if (typeof text !== "string") return undefined;
  try {
    let v: unknown = parseYaml(text);
    for (const p of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
    return typeof v === "string" && v.length > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function discoverNetwork(kube: Kube): Promise<NetworkRanges> {
  const out: NetworkRanges = {};
  try {
    const res = await kube.list({ apiVersion: "networking.k8s.io/v1", kind: "ServiceCIDR" });
    const cidrs = res.items.flatMap((o) => (Array.isArray(o.spec?.cidrs) ? (o.spec.cidrs as string[]) : []));
    if (cidrs.length) out.serviceCIDR = [...new Set(cidrs)].join(",");
  } catch (err) {
    if (!isMissingOrForbidden(err)) throw err;
  }
  const kubeadm = await tryGet(kube, "kubeadm-config");
  const cluster = (kubeadm?.data as Record<string, unknown> | undefined)?.ClusterConfiguration;
  out.serviceCIDR ??= yamlField(cluster, ["networking", "serviceSubnet"]);
  out.podCIDR ??= yamlField(cluster, ["networking", "podSubnet"]);
  if (!out.podCIDR) {
    const proxy = await tryGet(kube, "kube-proxy");
    out.podCIDR = yamlField((proxy?.data as Record<string, unknown> | undefined)?.["config.conf"], ["clusterCIDR"]);
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as NetworkRanges;
}
