import path from "node:path";
import type { Kube } from "../../../k8s/kube.ts";
import type { KObject } from "../../../k8s/types.ts";
import type { BinaryPaths } from "../build.ts";
import type { ProcessRecord } from "../processes.ts";
import { COREDNS, COREDNS_IMAGE, writeCoreDNSImage } from "./dns.ts";
import { clusterDNSObjects } from "./dns-objects.ts";
import type { Ledger } from "./ledger.ts";
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
    a.nodes.map((n, i) =>
      startKubeRouter({
        ledger: a.ledger,
        node: n.name,
        nodeDir: path.join(a.dir, "nodes", n.name),
        holder: n.holder,
        cgroup: `${a.cgroup}/${n.name}/runtime`,
        binary: a.bins["kube-router"]!,
        kubeconfig: kubeconfigs[i]!,
        env: a.env,
      }),
    ),
  );
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
}
