import { ClusterError } from "../../errors.ts";
import type { Kube } from "../../k8s/kube.ts";
import type { KObject } from "../../k8s/types.ts";
import { revertible, type Revertible } from "../../sdk/revertible.ts";

/** The label kubeadm, kind and the local cluster give the cluster DNS (CoreDNS) in kube-system. */
export const DNS_SELECTOR = "k8s-app=kube-dns";
const SYSTEM_NS = "kube-system";
/** Where stopClusterDNS records the replicas it found: the record a crashed run leaves. */
export const DNS_REPLICAS_ANNOTATION = "kubedrill.io/stopped-dns-replicas";

const deploymentRef = (d: KObject) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  name: d.metadata.name!,
  namespace: SYSTEM_NS,
});

async function dnsDeployments(kube: Kube): Promise<KObject[]> {
  const { items } = await kube.list(
    { apiVersion: "apps/v1", kind: "Deployment" },
    { namespace: SYSTEM_NS, labelSelector: DNS_SELECTOR },
  );
  return items;
}

/**
 * Cluster DNS outage on a cluster kubedrill itself created (the local cluster, kind): the
 * DNS Deployments scale to 0. The replicas they had are recorded on each Deployment in the
 * same patch that scales it (annotation DNS_REPLICAS_ANNOTATION), so revert, the
 * remediation and a later repair all restore exactly that number. Scenario steps never
 * change kube-system (src/pipeline/scope.ts): this is the provider acting on its own add-on.
 */
export function clusterDNSActions(kube: Kube): {
  stopClusterDNS(): Promise<Revertible>;
  startClusterDNS(): Promise<void>;
} {
  return {
    async stopClusterDNS() {
      const found = await dnsDeployments(kube);
      if (found.length === 0)
        throw new ClusterError(`no cluster DNS Deployment (label ${DNS_SELECTOR}) in ${SYSTEM_NS}`);
      const already = found.filter((d) => d.metadata.annotations?.[DNS_REPLICAS_ANNOTATION] !== undefined);
      if (already.length > 0)
        throw new ClusterError(
          `the cluster DNS is already stopped by kubedrill (Deployment ${SYSTEM_NS}/${already[0]!.metadata.name} has ${DNS_REPLICAS_ANNOTATION}); \`kubedrill cleanup\` restores it`,
        );
      const undo = revertible(async () => void (await restoreClusterDNS(kube)));
      try {
        for (const d of found) {
          const replicas = typeof d.spec?.replicas === "number" ? d.spec.replicas : 1;
          await kube.patch(
            deploymentRef(d),
            { metadata: { annotations: { [DNS_REPLICAS_ANNOTATION]: String(replicas) } }, spec: { replicas: 0 } },
            "merge",
          );
        }
      } catch (err) {
        await undo.revert().catch(() => undefined);
        throw err;
      }
      return undo;
    },
    async startClusterDNS() {
      await restoreClusterDNS(kube);
    },
  };
}

/** Scales every DNS Deployment that carries the record back to it; returns what it restored. */
export async function restoreClusterDNS(kube: Kube): Promise<string[]> {
  const restored: string[] = [];
  for (const d of await dnsDeployments(kube)) {
    const recorded = d.metadata.annotations?.[DNS_REPLICAS_ANNOTATION];
    if (recorded === undefined) continue;
    const replicas = Number(recorded);
    if (!Number.isInteger(replicas) || replicas < 0)
      throw new ClusterError(
        `Deployment ${SYSTEM_NS}/${d.metadata.name} has ${DNS_REPLICAS_ANNOTATION}=${JSON.stringify(recorded)}, not a replica count: scale it by hand`,
      );
    await kube.patch(
      deploymentRef(d),
      { metadata: { annotations: { [DNS_REPLICAS_ANNOTATION]: null } }, spec: { replicas } },
      "merge",
    );
    restored.push(`${SYSTEM_NS}/${d.metadata.name} (${replicas} replicas)`);
  }
  return restored;
}
