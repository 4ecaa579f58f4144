import path from "node:path";
import { ClusterError } from "../../../errors.ts";
import type { Kube } from "../../../k8s/kube.ts";
import type { KObject } from "../../../k8s/types.ts";
import type { BinaryPaths } from "../build.ts";
import type { ProcessRecord } from "../processes.ts";
import { COREDNS, COREDNS_IMAGE, writeCoreDNSImage } from "./dns.ts";
import { clusterDNSObjects } from "./dns-objects.ts";
import type { Ledger } from "./ledger.ts";
import { startIngressController } from "./ingress.ts";
import { KUBE_ROUTER, kubeRouterKubeconfig, kubeRouterRbac, startKubeRouter } from "./network-policy.ts";

/** Built with the node binaries: the network policy firewall and cluster DNS. */
export const NODE_ADDONS = [KUBE_ROUTER, COREDNS];

/** The add-ons' images, written beside the others so every node's containerd imports them. */
export async function addonImages(dir: string, bins: BinaryPaths): Promise<string[]> {
  return [await writeCoreDNSImage(dir, bins.coredns!)];
}

export interface AddonInputs {
  ledger: Ledger;
  kube: Kube;
  /** The cluster folder; node folders are nodes/NAME in it. */
  dir: string;
  /** cgroup path of the cluster, relative to each hierarchy */
  cgroup: string;
  server: string;
  pkiDir: string;
  caCert: string;
  bins: BinaryPaths;
  env: NodeJS.ProcessEnv;
  /** Each started node with its namespace holder. */
  nodes: { name: string; holder: ProcessRecord }[];
  /** The router namespace's holder and the bridge address (the Ingress controller listens there). */
  router: ProcessRecord;
  net: { gateway: string };
}

/**
 * Once the nodes run: kube-router's firewall in every node's namespace (each with its own
 * certificate), and CoreDNS as a kube-system Deployment behind the cluster DNS Service.
 * Returns the processes started (all recorded in the ledger as they start).
 */
export async function startAddons(a: AddonInputs): Promise<ProcessRecord[]> {
  for (const o of [...kubeRouterRbac(), ...clusterDNSObjects(COREDNS_IMAGE)]) await a.kube.create(o as KObject);
  const kubeconfigs: string[] = [];
  // one at a time: openssl's CA serial file is shared
  for (const n of a.nodes)
    kubeconfigs.push(await kubeRouterKubeconfig({ ...a, nodeDir: path.join(a.dir, "nodes", n.name), node: n.name }));
  const settled = await Promise.allSettled(
    a.nodes.map(async (n, i) => {
      // kube-router takes its node's address from the Node's status, which kubelet posts a moment after it starts
      await untilNodeAddress(a.kube, n.name);
      return startKubeRouter({
        ledger: a.ledger,
        node: n.name,
        nodeDir: path.join(a.dir, "nodes", n.name),
        holder: n.holder,
        cgroup: `${a.cgroup}/${n.name}/runtime`,
        binary: a.bins["kube-router"]!,
        kubeconfig: kubeconfigs[i]!,
        env: a.env,
      });
    }),
  );
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  const ingress = await startIngressController({
    ledger: a.ledger,
    kube: a.kube,
    dir: a.dir,
    cgroup: a.cgroup,
    router: a.router,
    address: a.net.gateway,
    env: a.env,
  });
  return [...settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])), ingress];
}

async function untilNodeAddress(kube: Kube, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const node = await kube.get({ apiVersion: "v1", kind: "Node", name });
    const addresses: { type: string }[] = node?.status?.addresses ?? [];
    if (addresses.some((x) => x.type === "InternalIP")) return;
    if (Date.now() > deadline)
      throw new ClusterError(`node ${name} has no InternalIP in its status after ${timeoutMs}ms (kubelet posts it)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
